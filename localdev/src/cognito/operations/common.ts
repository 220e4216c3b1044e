// Shared pieces of the cognito-idp JSON API operations: the operation type, lookups, AWS shapes.
import type { CognitoClientConfig } from "../config.js";
import { invalidParameter, resourceNotFound } from "../errors.js";
import type { StoredUser } from "../poolStore.js";
import type { CognitoRuntime, Pool } from "../runtime.js";

/** One JSON API operation: the parsed request body in, the response body out (or a CognitoError thrown). */
export type Operation = (runtime: CognitoRuntime, request: Record<string, unknown>) => Promise<unknown>;

export function requireString(request: Record<string, unknown>, name: string): string {
  const value = request[name];
  if (typeof value !== "string" || value === "")
    throw invalidParameter(
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

export function requirePool(runtime: CognitoRuntime, request: Record<string, unknown>): Pool {
  const poolId = requireString(request, "UserPoolId");
  const pool = runtime.pool(poolId);
  if (!pool) throw resourceNotFound(`User pool ${poolId} does not exist.`);
  return pool;
}

export function requireClient(
  runtime: CognitoRuntime,
  request: Record<string, unknown>,
): { pool: Pool; client: CognitoClientConfig } {
  const clientId = requireString(request, "ClientId");
  const found = runtime.client(clientId);
  if (!found) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  return found;
}

/** `[{Name, Value}]` with `sub` first, as Cognito lists them. */
export function attributeList(user: StoredUser): { Name: string; Value: string }[] {
  return [
    { Name: "sub", Value: user.sub },
    ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
  ];
}

/** Cognito's UserType; timestamps are epoch seconds on the JSON 1.1 wire. */
export function userType(user: StoredUser, attributesKey: "Attributes" | "UserAttributes" = "Attributes") {
  return {
    Username: user.username,
    [attributesKey]: attributeList(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
