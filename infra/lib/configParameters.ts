// The handler's configuration in SSM Parameter Store: five Strings and two SecureStrings.
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as ssm from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import { configParameterName, type STRING_PARAMETER_NAMES } from "./constants.js";
import type { Identity } from "./identity.js";
import { SecureStringParameter } from "./secureStringParameter/secureStringParameter.js";

/** Values of the five plain String parameters, by short name. */
export type StringParameterValues = Record<(typeof STRING_PARAMETER_NAMES)[number], string>;

export interface ConfigParametersProps {
  values: StringParameterValues;
  /**
   * Where the two SecureStrings come from at deploy time. Omitted on LocalStack, which has neither
   * Cognito nor the origin secret: its deploy script writes both SecureStrings before `cdklocal deploy`.
   */
  secrets?: { identity: Identity; originSecret: secretsmanager.ISecret };
}

/** The String values of the AWS target, taken from the Cognito resources. */
export function identityParameterValues(identity: Identity, siteUrl: string): StringParameterValues {
  return {
    "cognito-domain-url": identity.domainUrl,
    "client-id": identity.client.userPoolClientId,
    "redirect-uri": siteUrl,
    "user-pool-id": identity.userPool.userPoolId,
    "jwks-uri": identity.jwksUri,
  };
}

/** Writes the parameters the handler reads under CONFIG_PARAMETER_PREFIX. */
export class ConfigParameters extends Construct {
  readonly clientSecret?: SecureStringParameter;
  readonly originSecret?: SecureStringParameter;

  constructor(scope: Construct, id: string, props: ConfigParametersProps) {
    super(scope, id);
    for (const [name, value] of Object.entries(props.values)) {
      new ssm.StringParameter(this, name, {
        parameterName: configParameterName(name as keyof StringParameterValues),
        stringValue: value,
      });
    }
    if (!props.secrets) return;
    const { identity, originSecret } = props.secrets;
    this.clientSecret = new SecureStringParameter(this, "client-secret", {
      parameterName: configParameterName("client-secret"),
      valueFrom: { cognitoClientSecret: { userPool: identity.userPool, client: identity.client } },
    });
    this.originSecret = new SecureStringParameter(this, "origin-secret", {
      parameterName: configParameterName("origin-secret"),
      valueFrom: { secretsManagerSecret: originSecret },
    });
  }
}
