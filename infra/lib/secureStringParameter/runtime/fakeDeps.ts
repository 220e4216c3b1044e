// Test helper: in-memory SecureStringDeps (a Cognito client secret, a Secrets Manager secret, an SSM store).
import type { SecureStringDeps } from "./onEvent.js";

export interface FakeDeps extends SecureStringDeps {
  /** SSM parameters written so far: name → value. */
  parameters: Map<string, string>;
}

export function fakeDeps(
  opts: { clientSecret?: string; secrets?: Record<string, string>; failWith?: Error } = {},
): FakeDeps {
  const parameters = new Map<string, string>();
  const fail = () => {
    if (opts.failWith) throw opts.failWith;
  };
  return {
    parameters,
    async readClientSecret(userPoolId, clientId) {
      fail();
      if (userPoolId !== "us-east-1_AbC123xyZ" || clientId !== "client123") {
        throw Object.assign(new Error(`User pool client ${clientId} does not exist.`), {
          name: "ResourceNotFoundException",
        });
      }
      return opts.clientSecret ?? "client-secret-value";
    },
    async readSecret(secretId) {
      fail();
      const value = opts.secrets?.[secretId];
      if (value === undefined)
        throw Object.assign(new Error("Secrets Manager can't find the specified secret."), {
          name: "ResourceNotFoundException",
        });
      return value;
    },
    async putSecureString(name, value) {
      fail();
      parameters.set(name, value);
    },
    async deleteParameter(name) {
      fail();
      parameters.delete(name);
    },
  };
}
