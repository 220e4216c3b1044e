// SecureStringDeps backed by the AWS SDK v3 clients (Cognito, SSM) that the Lambda runtime provides.
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  DeleteParameterCommand,
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import type { SecureStringDeps } from "./onEvent.js";
import { secretsManagerReferenceName } from "./valueFrom.js";

/** The `send` half of an SDK client; tests pass a stub. */
export interface Sender {
  send(command: object): Promise<unknown>;
}

/**
 * Builds the deps from SDK clients (default: clients from the Lambda environment).
 * @param clients overrides, e.g. stubs in tests
 */
export function awsDeps(clients: { cognito?: Sender; ssm?: Sender } = {}): SecureStringDeps {
  const cognito = clients.cognito ?? (new CognitoIdentityProviderClient({ maxAttempts: 3 }) as Sender);
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
      // @aws-sdk/client-secrets-manager is not a dependency: Parameter Store reads the secret for us.
      const out = (await ssm.send(
        new GetParameterCommand({ Name: secretsManagerReferenceName(secretId), WithDecryption: true }),
      )) as { Parameter?: { Value?: string } };
      const value = out.Parameter?.Value;
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
