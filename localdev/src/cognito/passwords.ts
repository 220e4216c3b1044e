// Password hashing (scrypt) and Cognito's password policy checks with Cognito's messages.
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { CognitoPasswordPolicy } from "./config.js";
import { SYMBOL_PATTERN } from "./passwordRules.js";

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$<salt b64>$<hash b64>`; the plain password is never stored. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt);
  return `scrypt$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const [scheme, salt, hash] = (stored ?? "").split("$");
  if (scheme !== "scrypt" || !salt || !hash) {
    // Same work either way, so timing does not reveal whether the user exists.
    await scryptAsync(password, Buffer.alloc(16));
    return false;
  }
  const actual = await scryptAsync(password, Buffer.from(salt, "base64"));
  const expected = Buffer.from(hash, "base64");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const SYMBOL = new RegExp(SYMBOL_PATTERN);

/** SignUp's prefix; ConfirmForgotPassword (and new-password flows) say "Password does not conform to policy:". */
export const SIGN_UP_POLICY_PREFIX = "Password did not conform with policy:";

/** The first policy violation in Cognito's wording, or undefined when the password conforms. */
export function passwordPolicyViolation(
  password: string,
  policy: CognitoPasswordPolicy,
  prefix = SIGN_UP_POLICY_PREFIX,
): string | undefined {
  if (password.length < policy.minimumLength) return `${prefix} Password not long enough`;
  if (policy.requireLowercase && !/[a-z]/.test(password))
    return `${prefix} Password must have lowercase characters`;
  if (policy.requireUppercase && !/[A-Z]/.test(password))
    return `${prefix} Password must have uppercase characters`;
  if (policy.requireNumbers && !/[0-9]/.test(password))
    return `${prefix} Password must have numeric characters`;
  if (policy.requireSymbols && !SYMBOL.test(password))
    return `${prefix} Password must have symbol characters`;
  return undefined;
}
