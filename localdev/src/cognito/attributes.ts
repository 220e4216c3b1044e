// Which attributes a write may set: the pool's schema decides what exists, the app client's WriteAttributes
// what it may write, with Cognito's errors for each.
// Rules: reference §2 "Attribute write rules", from the Cognito developer guide (user-pool-settings-attributes)
// and the UserPoolClientType API reference (ReadAttributes/WriteAttributes).
import type { CognitoClientConfig, CognitoUserPoolConfig } from "./config.js";
import { invalidParameter, notAuthorized } from "./errors.js";

/** Cognito's standard attributes (OIDC), besides `sub` and `identities`, which nobody writes. */
export const STANDARD_ATTRIBUTES: ReadonlySet<string> = new Set([
  "address",
  "birthdate",
  "email",
  "email_verified",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "phone_number_verified",
  "picture",
  "preferred_username",
  "profile",
  "updated_at",
  "website",
  "zoneinfo",
]);

const VERIFIED_FLAGS = new Set(["email_verified", "phone_number_verified"]);
// AttributeType.Value is at most 2048 characters.
const MAX_VALUE_LENGTH = 2048;

/** Who writes: an app client (SignUp, the hosted UI) or an administrator (Admin* operations). */
export type AttributeWriter = { client: CognitoClientConfig } | { admin: true };

/**
 * Checks a write of `attributes` by `writer`: every name must exist in the pool (a standard attribute or a
 * `custom:` one from the schema), and a client may write only its WriteAttributes, or, without that list,
 * the standard attributes except the `*_verified` flags. Required attributes are always writable.
 */
export function checkAttributeWrite(
  pool: CognitoUserPoolConfig,
  writer: AttributeWriter,
  attributes: ReadonlyMap<string, string>,
): void {
  for (const [name, value] of attributes) {
    if (name === "sub" || name === "identities")
      throw invalidParameter(`Cannot modify an immutable attribute: ${name}`);
    if (!STANDARD_ATTRIBUTES.has(name) && !pool.customAttributes.includes(name))
      throw invalidParameter(
        `Attributes did not conform to the schema: Type for attribute {${name}} could not be determined`,
      );
    if (value.length > MAX_VALUE_LENGTH)
      throw invalidParameter(
        `1 validation error detected: Value at 'userAttributes.${name}.member.value' failed to satisfy constraint: Member must have length less than or equal to ${MAX_VALUE_LENGTH}`,
      );
    if ("client" in writer && !clientMayWrite(pool, writer.client, name))
      throw notAuthorized("A client attempted to write unauthorized attribute");
  }
}

function clientMayWrite(pool: CognitoUserPoolConfig, client: CognitoClientConfig, name: string): boolean {
  if (pool.requiredAttributes.includes(name)) return true;
  if (client.writeAttributes) return client.writeAttributes.includes(name);
  return STANDARD_ATTRIBUTES.has(name) && !VERIFIED_FLAGS.has(name);
}
