// The Parameter object of the SSM API, built from a stored parameter or a Secrets Manager reference.

import { NotEmulatedError } from "../shared/awsError.js";
import type { SsmDeps } from "./deps.js";
import { ParameterNotFoundError, ValidationError } from "./errors.js";
import type { ParameterType, StoredParameter } from "./store.js";

export interface WireParameter {
  Name: string;
  Type: ParameterType;
  Value: string;
  Version: number;
  /** Epoch seconds (the SDK turns it into a Date). */
  LastModifiedDate: number;
  ARN: string;
  DataType: "text";
}

export const SECRET_REFERENCE_PREFIX = "/aws/reference/secretsmanager/";

export function parameterArn(name: string, deps: Pick<SsmDeps, "region" | "accountId">): string {
  return `arn:aws:ssm:${deps.region}:${deps.accountId}:parameter/${name.replace(/^\//, "")}`;
}

export function toWireParameter(
  parameter: StoredParameter,
  withDecryption: boolean,
  deps: Pick<SsmDeps, "region" | "accountId">,
): WireParameter {
  const hideValue = parameter.type === "SecureString" && !withDecryption;
  return {
    Name: parameter.name,
    Type: parameter.type,
    Value: hideValue ? parameter.ciphertext : parameter.value,
    Version: parameter.version,
    LastModifiedDate: parameter.lastModified / 1000,
    ARN: parameterArn(parameter.name, deps),
    DataType: "text",
  };
}

export function isSecretReference(name: string): boolean {
  return name.startsWith(SECRET_REFERENCE_PREFIX);
}

/**
 * Reads `/aws/reference/secretsmanager/<id>` like SSM: SecureString, only with decryption,
 * ParameterNotFound when the secret does not exist.
 */
export function readSecretReference(
  name: string,
  withDecryption: boolean,
  deps: Pick<SsmDeps, "region" | "accountId" | "secrets" | "clock">,
): WireParameter {
  if (!withDecryption) {
    throw new ValidationError("WithDecryption flag must be True for retrieving a Secret Manager secret.");
  }
  if (!deps.secrets) throw new NotEmulatedError("Reading Secrets Manager secrets through SSM (no resolver)");
  const secretId = name.slice(SECRET_REFERENCE_PREFIX.length);
  const value = deps.secrets(secretId);
  if (typeof value !== "string") throw new ParameterNotFoundError(name);
  return {
    Name: name,
    Type: "SecureString",
    Value: value,
    Version: 0,
    LastModifiedDate: deps.clock.now() / 1000,
    ARN: secretId.startsWith("arn:")
      ? secretId
      : `arn:aws:secretsmanager:${deps.region}:${deps.accountId}:secret:${secretId}`,
    DataType: "text",
  };
}
