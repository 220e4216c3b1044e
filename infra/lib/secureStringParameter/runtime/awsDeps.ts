// SecureStringDeps backed by the AWS SDK v3 clients (Cognito, Secrets Manager, SSM) the Lambda runtime provides.
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
  DeleteParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import type { SecureStringDeps } from "./onEvent.js";

/** The `send` half of an SDK client; tests pass a stub. */
export interface Sender {
  send(command: object): Promise<unknown>;
}

/**
 * Builds the deps from SDK clients (default: clients from the Lambda environment).
 * @param clients overrides, e.g. stubs in tests
 */
export function awsDeps(
  clients: { cognito?: Sender; secretsManager?: Sender; ssm?: Sender } = {},
): SecureStringDeps {
  const cognito = clients.cognito ?? (new CognitoIdentityProviderClient({ maxAttempts: 3 }) as Sender);
  const secretsManager = clients.secretsManager ?? (new SecretsManagerClient({ maxAttempts: 3 }) as Sender);
  const ssm = clients.ssm ?? (new SSMClient({ maxAttempts: 3 }) as Sender);
  return {
    async readClientSecret(userPoolId, clientId) {
      const out = (await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
      )) as { UserPoolClient?: { ClientSecret?: string } };
      const secret = out.UserPoolClient?.ClientSecret;
      if (!secret)
        throw new Error(`App client ${clientId} has no client secret (GenerateSecret must be true)`);
      return secret;
    },
    async readSecret(secretId) {
      // Straight from Secrets Manager: the role holds GetSecretValue on this one ARN and nothing wider.
      const out = (await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }))) as {
        SecretString?: string;
      };
      const value = out.SecretString;
      if (!value) throw new Error("Secrets Manager secret has no string value");
      return value;
    },
    async putSecureString(name, value) {
      await ssm.send(
        new PutParameterCommand({ Name: name, Value: value, Type: "SecureString", Overwrite: true }),
      );
    },
    async deleteParameter(name) {
      try {
        await ssm.send(new DeleteParameterCommand({ Name: name }));
      } catch (error) {
        if (!(error instanceof ParameterNotFound || (error as Error).name === "ParameterNotFound"))
          throw error;
      }
    },
  };
}
