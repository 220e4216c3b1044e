// Construct for Custom::SecureStringParameter: an SSM SecureString whose value never enters the template.
import { CustomResource, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { functionLogGroup } from "../logGroups.js";
import { ssmParameterArn } from "../ssmParameterArn.js";
import { bundleProviderHandler } from "./bundle.js";

export const SECURE_STRING_PARAMETER_TYPE = "Custom::SecureStringParameter";

/** Where the value is read at deploy time. */
export type SecureStringSource =
  | { cognitoClientSecret: { userPool: cognito.IUserPool; client: cognito.IUserPoolClient } }
  | { secretsManagerSecret: secretsmanager.ISecret };

export interface SecureStringParameterProps {
  /** Full SSM name, e.g. "/furl-kit/FurlKit/client-secret". */
  parameterName: string;
  valueFrom: SecureStringSource;
}

/**
 * Writes a secret to SSM Parameter Store as a SecureString on Create/Update and deletes it on Delete.
 * CloudFormation's own AWS::SSM::Parameter cannot create SecureStrings, and passing the value through
 * the template would leave it in plain text there; here only references travel.
 */
export class SecureStringParameter extends Construct {
  /** The parameter name (the resource's Ref / physical id). */
  readonly parameterName: string;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: SecureStringParameterProps) {
    super(scope, id);
    const provider = providerFunction(this);
    provider.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["ssm:PutParameter", "ssm:DeleteParameter"],
        resources: [ssmParameterArn(this, props.parameterName)],
      }),
    );
    let valueFrom: Record<string, unknown>;
    if ("cognitoClientSecret" in props.valueFrom) {
      const { userPool, client } = props.valueFrom.cognitoClientSecret;
      provider.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["cognito-idp:DescribeUserPoolClient"],
          resources: [userPool.userPoolArn],
        }),
      );
      valueFrom = {
        CognitoClientSecret: { UserPoolId: userPool.userPoolId, ClientId: client.userPoolClientId },
      };
    } else {
      const secret = props.valueFrom.secretsManagerSecret;
      provider.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["secretsmanager:GetSecretValue"],
          resources: [secret.secretArn],
        }),
      );
      valueFrom = { SecretsManagerSecretId: secret.secretArn };
    }
    this.resource = new CustomResource(this, "Resource", {
      resourceType: SECURE_STRING_PARAMETER_TYPE,
      serviceToken: provider.functionArn,
      properties: { ParameterName: props.parameterName, ValueFrom: valueFrom },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The grants above must exist before CloudFormation invokes the provider.
    if (provider.role) this.resource.node.addDependency(provider.role);
    this.parameterName = this.resource.ref;
  }
}

const PROVIDER_ID = "SecureStringParameterProvider";

/** One provider function per stack, shared by every SecureStringParameter in it. */
function providerFunction(scope: Construct): lambda.Function {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(PROVIDER_ID);
  if (existing) return existing as lambda.Function;
  return new lambda.Function(stack, PROVIDER_ID, {
    description: "Writes Custom::SecureStringParameter values to SSM as SecureString",
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: "index.handler",
    code: lambda.Code.fromAsset(bundleProviderHandler()),
    memorySize: 256,
    timeout: Duration.minutes(2),
    logGroup: functionLogGroup(stack, `${PROVIDER_ID}Logs`),
  });
}
