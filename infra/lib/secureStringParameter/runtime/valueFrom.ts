// Parses and validates the custom resource's properties (ParameterName, ValueFrom).

/** Where the secret value comes from: a Cognito app client's secret or a Secrets Manager secret. */
export type ValueSource =
  | { kind: "CognitoClientSecret"; userPoolId: string; clientId: string }
  | { kind: "SecretsManagerSecret"; secretId: string };

export interface SecureStringProperties {
  parameterName: string;
  source: ValueSource;
}

/** Thrown when the template gives the resource properties it cannot act on. */
export class InvalidPropertiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidPropertiesError";
  }
}

/**
 * Reads `ParameterName` and `ValueFrom` from CloudFormation resource properties.
 * @throws InvalidPropertiesError with a message fit for the stack event log.
 */
export function parseProperties(props: Record<string, unknown>): SecureStringProperties {
  const parameterName = props.ParameterName;
  if (typeof parameterName !== "string" || !/^\/[\w.\-/]+$/.test(parameterName)) {
    throw new InvalidPropertiesError(
      "ParameterName must be an SSM path such as /furl-kit/FurlKit/client-secret",
    );
  }
  return { parameterName, source: parseValueFrom(props.ValueFrom) };
}

function parseValueFrom(valueFrom: unknown): ValueSource {
  if (!isRecord(valueFrom) || Object.keys(valueFrom).length !== 1) {
    throw new InvalidPropertiesError(
      "ValueFrom must hold exactly one of CognitoClientSecret or SecretsManagerSecretId",
    );
  }
  const cognito = valueFrom.CognitoClientSecret;
  if (cognito !== undefined) {
    if (!isRecord(cognito) || !isNonEmptyString(cognito.UserPoolId) || !isNonEmptyString(cognito.ClientId)) {
      throw new InvalidPropertiesError("ValueFrom.CognitoClientSecret needs UserPoolId and ClientId strings");
    }
    return { kind: "CognitoClientSecret", userPoolId: cognito.UserPoolId, clientId: cognito.ClientId };
  }
  const secretId = valueFrom.SecretsManagerSecretId;
  if (secretId !== undefined) {
    if (!isNonEmptyString(secretId)) {
      throw new InvalidPropertiesError("ValueFrom.SecretsManagerSecretId must be a secret ARN or name");
    }
    return { kind: "SecretsManagerSecret", secretId };
  }
  throw new InvalidPropertiesError(
    `ValueFrom has unknown key "${Object.keys(valueFrom)[0]}"; use CognitoClientSecret or SecretsManagerSecretId`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}
