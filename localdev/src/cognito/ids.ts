// Identifier generators in the formats AWS uses: pool ids, client ids and secrets, UUIDs, 6-digit codes.
import { randomBytes, randomInt, randomUUID } from "node:crypto";

const ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz";

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  // 256 % 36 and 256 % 62 bias is irrelevant for ids that only need to look like AWS's.
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** `<region>_<9 alphanumerics>`, e.g. `us-east-1_AbC123xyZ` (what aws-jwt-verify accepts). */
export function newUserPoolId(region: string): string {
  return `${region}_${randomString(ALNUM, 9)}`;
}

/** 26 lowercase alphanumerics, like `47ahgb3e4jqhk86o7gugvbglf8`. */
export function newClientId(): string {
  return randomString(LOWER_ALNUM, 26);
}

/** 51 lowercase alphanumerics (AWS generates long lowercase secrets; the exact length is unconfirmed). */
export function newClientSecret(): string {
  return randomString(LOWER_ALNUM, 51);
}

/** Authorization codes, `sub`, `jti`, `event_id`: UUID strings as Cognito issues them. */
export function newUuid(): string {
  return randomUUID();
}

/** Sign-up confirmation code: 6 digits. */
export function newConfirmationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** An opaque random token (session ids, CSRF tokens). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString("base64url");
}
