// The handler's configuration in SSM Parameter Store: five Strings and two SecureStrings.
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as ssm from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import { configParameterName, type STRING_PARAMETER_NAMES } from "./constants.js";
import type { Identity } from "./identity.js";
import { SecureStringParameter } from "./secureStringParameter/secureStringParameter.js";

export interface ConfigParametersProps {
  identity: Identity;
  originSecret: secretsmanager.ISecret;
  /** Site URL with trailing slash (the OAuth redirect_uri). */
  siteUrl: string;
}

/** Writes every parameter the handler reads under CONFIG_PARAMETER_PREFIX. */
export class ConfigParameters extends Construct {
  readonly clientSecret: SecureStringParameter;
  readonly originSecret: SecureStringParameter;

  constructor(scope: Construct, id: string, props: ConfigParametersProps) {
    super(scope, id);
    const { identity } = props;
    const values: Record<(typeof STRING_PARAMETER_NAMES)[number], string> = {
      "cognito-domain-url": identity.domainUrl,
      "client-id": identity.client.userPoolClientId,
      "redirect-uri": props.siteUrl,
      "user-pool-id": identity.userPool.userPoolId,
      "jwks-uri": identity.jwksUri,
    };
    for (const [name, value] of Object.entries(values)) {
      new ssm.StringParameter(this, name, {
        parameterName: configParameterName(name as keyof typeof values),
        stringValue: value,
      });
    }
    this.clientSecret = new SecureStringParameter(this, "client-secret", {
      parameterName: configParameterName("client-secret"),
      valueFrom: { cognitoClientSecret: { userPool: identity.userPool, client: identity.client } },
    });
    this.originSecret = new SecureStringParameter(this, "origin-secret", {
      parameterName: configParameterName("origin-secret"),
      valueFrom: { secretsManagerSecret: props.originSecret },
    });
  }
}
