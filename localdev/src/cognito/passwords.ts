// Password hashing (scrypt) and Cognito's password policy checks with Cognito's messages.
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { CognitoPasswordPolicy } from "./config.js";
import { SYMBOL_PATTERN } from "./passwordRules.js";

const KEY_LENGTH = 32;

/**
 * scrypt cost for the kit's user store. Node's default (N=2^14) costs ~40 ms per check on a 2-core
 * machine, which caps sign-ins near 50/s and makes every test sign-in wait. The kit holds development
 * accounts on loopback: hashing at rest keeps a password out of the state file and out of a casual
 * look, not out of an offline attack on a production credential store, so N=2^10 (16 times cheaper,
 * ~2 ms) is enough. The parameters are stored with each hash, so hashes written with other costs
 * (state folders from before, Node's default) still verify.
 */
const COST = { N: 1024, r: 8, p: 1 };
/** Hashes written before the cost was stored used Node's defaults. */
const LEGACY_COST = { N: 16_384, r: 8, p: 1 };

interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

function scryptAsync(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, cost, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N=<n>,r=<r>,p=<p>$<salt b64>$<hash b64>`; the plain password is never stored. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, COST);
  return `scrypt$N=${COST.N},r=${COST.r},p=${COST.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** Reads `N=..,r=..,p=..`; undefined when malformed or outside sane bounds (a tampered state file). */
function parseCost(text: string): ScryptCost | undefined {
  const fields = Object.fromEntries(text.split(",").map((pair) => pair.split("=")));
  const [N, r, p] = [Number(fields.N), Number(fields.r), Number(fields.p)];
  const valid =
    [N, r, p].every(Number.isInteger) && N >= 2 && N <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
  return valid ? { N, r, p } : undefined;
}

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parts = (stored ?? "").split("$");
  const [scheme] = parts;
  // Legacy hashes have three parts (no cost field).
  const [costText, salt, hash] = parts.length === 4 ? parts.slice(1) : [undefined, parts[1], parts[2]];
  const cost = costText === undefined ? LEGACY_COST : parseCost(costText);
  if (scheme !== "scrypt" || !salt || !hash || !cost) {
    // Same work either way, so timing does not reveal whether the user exists.
    await scryptAsync(password, Buffer.alloc(16), COST);
    return false;
  }
  const actual = await scryptAsync(password, Buffer.from(salt, "base64"), cost);
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
