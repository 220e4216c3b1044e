// User lifecycle shared by the JSON API and the hosted UI: sign-up, confirmation, sign-in, secret hash.

import { createHmac, timingSafeEqual } from "node:crypto";
import { CONFIRM_SIGN_UP } from "./attemptLimits.js";
import { type AttributeWriter, checkAttributeWrite } from "./attributes.js";
import { type CognitoClientConfig, emailIsUsername } from "./config.js";
import { CognitoError, invalidParameter, notAuthorized, userNotFound } from "./errors.js";
import { newConfirmationCode, newUuid } from "./ids.js";
import { hashPassword, passwordPolicyViolation, verifyPassword } from "./passwords.js";
import type { StoredUser } from "./poolStore.js";
import { CONFIRMATION_TTL_MS, type CognitoRuntime, type Pool } from "./runtime.js";
import { customMessage, eventAttributes, runTrigger } from "./triggers.js";

// Cognito's username pattern: letters, marks, symbols, numbers, punctuation; no whitespace or control characters.
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
const MAX_USERNAME_LENGTH = 128;
// Dot-separated labels that cannot contain a dot: one way to match any input, so the check stays linear.
const EMAIL = /^[^\s@<>()"',;:]+@(?:[^\s@<>()"',;:.]+\.)+[^\s@<>()"',;:.]+$/;
// RFC 5321's limit for a forward path; inputs are bounded before any pattern sees them.
const MAX_EMAIL_LENGTH = 256;

function isEmail(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value);
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** SECRET_HASH = base64(HMAC-SHA256(client secret, username + client id)), required when the client has a secret. */
export function checkSecretHash(client: CognitoClientConfig, username: string, secretHash: unknown): void {
  if (!client.clientSecret) return;
  if (typeof secretHash !== "string" || !secretHash)
    throw notAuthorized(`Client ${client.clientId} is configured for secret but secret was not received`);
  const expected = createHmac("sha256", client.clientSecret)
    .update(username + client.clientId)
    .digest("base64");
  if (!safeEqual(expected, secretHash))
    throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
}

/** Finds the user a person signs in as: by username, or by email when email is the username attribute. */
export function findUser(pool: Pool, name: string): StoredUser | undefined {
  return pool.store.user(name) ?? (emailIsUsername(pool.config) ? pool.store.userByEmail(name) : undefined);
}

export function requireUser(pool: Pool, name: unknown): StoredUser {
  const user = typeof name === "string" ? findUser(pool, name) : undefined;
  if (!user) throw userNotFound();
  return user;
}

export function checkPassword(pool: Pool, password: unknown): string {
  if (typeof password !== "string" || password.length < 6)
    throw invalidParameter(
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6",
    );
  const violation = passwordPolicyViolation(password, pool.config.passwordPolicy);
  if (violation) throw new CognitoError("InvalidPasswordException", violation);
  return password;
}

/** Turns `[{Name, Value}]` into a map (a Map: a name like `__proto__` is data, never a prototype). */
export function attributesFrom(list: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw invalidParameter("UserAttributes must be a list of {Name, Value}");
  for (const item of list) {
    const { Name, Value } = (item && typeof item === "object" ? item : {}) as {
      Name?: unknown;
      Value?: unknown;
    };
    if (typeof Name !== "string" || !Name || Name.length > 32 || typeof Value !== "string")
      throw invalidParameter("Each user attribute needs a Name (1-32 characters) and a string Value");
    out.set(Name, Value);
  }
  return out;
}

export interface NewUser {
  username: string;
  password?: string;
  attributes: ReadonlyMap<string, string>;
  status: StoredUser["status"];
  /** The app client signing the user up, or the administrator creating them. */
  writer: AttributeWriter;
}

/** Validates and stores a new user; answers Cognito's errors for taken names and bad attributes. */
export async function createUser(runtime: CognitoRuntime, pool: Pool, input: NewUser): Promise<StoredUser> {
  const { config, store } = pool;
  if (input.username.length > MAX_USERNAME_LENGTH)
    throw invalidParameter(
      `1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to ${MAX_USERNAME_LENGTH}`,
    );
  if (!USERNAME.test(input.username))
    throw invalidParameter(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
  checkAttributeWrite(config, input.writer, input.attributes);
  const attributes: Record<string, string> = Object.fromEntries(input.attributes);
  const sub = newUuid();
  let username = input.username;
  if (emailIsUsername(config)) {
    // The username is the email; Cognito stores the user under a generated UUID username.
    if (!isEmail(input.username)) throw invalidParameter("Username should be an email.");
    if (store.userByEmail(input.username))
      throw new CognitoError("UsernameExistsException", "An account with the given email already exists.");
    attributes.email = input.username;
    username = sub;
  } else if (store.user(username)) {
    throw new CognitoError("UsernameExistsException", "User already exists");
  }
  if (attributes.email !== undefined && !isEmail(attributes.email))
    throw invalidParameter("Invalid email address format.");
  for (const required of config.requiredAttributes) {
    if (!attributes[required])
      throw invalidParameter(
        `Attributes did not conform to the schema: ${required}: The attribute is required`,
      );
  }
  if (attributes.email !== undefined) attributes.email_verified ??= "false";
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  // Checked again after the await: another request may have taken the name meanwhile.
  if (store.user(username)) throw new CognitoError("UsernameExistsException", "User already exists");
  const now = runtime.clock.now();
  const user: StoredUser = {
    username,
    sub,
    status: input.status,
    enabled: true,
    attributes,
    ...(passwordHash ? { passwordHash } : {}),
    groups: [],
    createdAt: now,
    updatedAt: now,
  };
  store.putUser(user);
  return user;
}

/**
 * Starts a 24 h confirmation code. No mail is sent: the code is logged and listed by the control endpoint.
 * (Cognito only sends one when an attribute is auto-verified; the kit always makes one so sign-up can finish.)
 */
export async function startConfirmation(
  runtime: CognitoRuntime,
  pool: Pool,
  user: StoredUser,
  clientId?: string,
  source: "SignUp" | "ResendCode" = "SignUp",
): Promise<void> {
  const code = newConfirmationCode();
  const custom = await customMessage(runtime, pool, {
    user,
    ...(clientId ? { clientId } : {}),
    source,
    code,
  });
  pool.store.putConfirmation({
    ...(clientId ? { clientId } : {}),
    username: user.username,
    code,
    expiresAt: runtime.clock.now() + CONFIRMATION_TTL_MS,
    ...(custom ? { message: custom.message } : {}),
  });
  runtime.log.info("sign-up confirmation code (no mail is sent locally)", {
    poolId: pool.config.id,
    username: user.username,
    email: user.attributes.email,
    confirmationCode: code,
    ...(custom ? { message: custom.message } : {}),
  });
}

/**
 * SignUp, from the JSON API or the hosted UI: PreSignUp may confirm the user and verify the email or phone at once
 * (then PostConfirmation runs and no code is sent); otherwise a confirmation code starts.
 */
export async function registerUser(
  runtime: CognitoRuntime,
  pool: Pool,
  client: CognitoClientConfig,
  input: {
    username: string;
    password: string;
    attributes: Map<string, string>;
    validationData?: unknown;
    clientMetadata?: unknown;
  },
): Promise<{ user: StoredUser; confirmed: boolean }> {
  const pre = await runTrigger(runtime, pool, "PreSignUp", {
    triggerSource: "PreSignUp_SignUp",
    userName: input.username,
    clientId: client.clientId,
    userAttributes: Object.fromEntries(input.attributes),
    request: { validationData: nameValues(input.validationData), clientMetadata: input.clientMetadata ?? {} },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  const confirmed = pre?.autoConfirmUser === true;
  // "autoVerifyEmail … requires a non-null email … Otherwise an error will occur" (user-pool-lambda-pre-sign-up)
  if (pre?.autoVerifyEmail === true && !input.attributes.get("email") && !emailIsUsername(pool.config))
    throw invalidParameter("Email cannot be verified: the user has no email attribute.");
  if (pre?.autoVerifyPhone === true && !input.attributes.get("phone_number"))
    throw invalidParameter("Phone number cannot be verified: the user has no phone_number attribute.");
  let user = await createUser(runtime, pool, {
    username: input.username,
    password: input.password,
    attributes: input.attributes,
    status: confirmed ? "CONFIRMED" : "UNCONFIRMED",
    writer: { client },
  });
  if (pre?.autoVerifyEmail === true || pre?.autoVerifyPhone === true) {
    const attributes = { ...user.attributes };
    if (pre.autoVerifyEmail === true) attributes.email_verified = "true";
    if (pre.autoVerifyPhone === true) attributes.phone_number_verified = "true";
    user = { ...user, attributes };
    pool.store.putUser(user);
  }
  if (confirmed) await postConfirmation(runtime, pool, user, client.clientId, "ConfirmSignUp");
  else await startConfirmation(runtime, pool, user, client.clientId);
  return { user, confirmed };
}

/** PostConfirmation, after a sign-up (or a forgotten password) is confirmed. */
export async function postConfirmation(
  runtime: CognitoRuntime,
  pool: Pool,
  user: StoredUser,
  clientId: string | undefined,
  source: "ConfirmSignUp" | "ConfirmForgotPassword",
): Promise<void> {
  await runTrigger(runtime, pool, "PostConfirmation", {
    triggerSource: `PostConfirmation_${source}`,
    userName: user.username,
    ...(clientId ? { clientId } : {}),
    userAttributes: eventAttributes(user),
    request: { clientMetadata: {} },
  });
}

/** SignUp's ValidationData list as the event's map (null when none was sent, as observed). */
function nameValues(list: unknown): Record<string, string> | null {
  if (!Array.isArray(list)) return null;
  return Object.fromEntries(
    list.map((a: { Name?: unknown; Value?: unknown }) => [String(a.Name), String(a.Value)]),
  );
}

/** ConfirmSignUp: checks the code, then marks the user CONFIRMED and the email verified. */
export async function confirmUser(
  runtime: CognitoRuntime,
  pool: Pool,
  user: StoredUser,
  code: unknown,
  clientId?: string,
): Promise<StoredUser> {
  if (user.status !== "UNCONFIRMED")
    throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  const attempts = userKey(pool, user.username);
  runtime.codeAttempts.assertAllowed(CONFIRM_SIGN_UP, attempts);
  const pending = pool.store.confirmation(user.username);
  if (typeof code !== "string" || !pending || !safeEqual(pending.code, code.trim())) {
    runtime.codeAttempts.recordFailure(CONFIRM_SIGN_UP, attempts);
    throw codeMismatch();
  }
  if (pending.expiresAt <= runtime.clock.now())
    throw new CognitoError("ExpiredCodeException", "Invalid code provided, please request a code again.");
  runtime.codeAttempts.recordSuccess(CONFIRM_SIGN_UP, attempts);
  pool.store.deleteConfirmation(user.username);
  const confirmed = markConfirmed(runtime, pool, user, true);
  await postConfirmation(runtime, pool, confirmed, clientId, "ConfirmSignUp");
  return confirmed;
}

export function markConfirmed(
  runtime: CognitoRuntime,
  pool: Pool,
  user: StoredUser,
  verifyEmail: boolean,
): StoredUser {
  const attributes = { ...user.attributes };
  if (verifyEmail && attributes.email !== undefined) attributes.email_verified = "true";
  const updated: StoredUser = { ...user, status: "CONFIRMED", attributes, updatedAt: runtime.clock.now() };
  pool.store.putUser(updated);
  return updated;
}

export const codeMismatch = () =>
  new CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.");

/** The key of a user's attempt counters: pool and user name (the name as given when no such user exists). */
export function userKey(pool: Pool, username: string): string {
  return `${pool.config.id}/${username}`;
}

/**
 * Checks a password; undefined for an unknown user or a wrong password alike (no user enumeration).
 * Failures count towards Cognito's lockout; a locked-out name gets NotAuthorizedException
 * `Password attempts exceeded` without its password being checked.
 */
export async function authenticate(
  runtime: CognitoRuntime,
  pool: Pool,
  name: string,
  password: string,
  clientId?: string,
  clientMetadata?: unknown,
): Promise<StoredUser | undefined> {
  const user = findUser(pool, name);
  const key = userKey(pool, user?.username ?? name);
  runtime.signInLockout.assertAllowed(key);
  // PreAuthentication runs for a known user before the password is checked; a throw denies the sign-in.
  if (user)
    await runTrigger(runtime, pool, "PreAuthentication", {
      triggerSource: "PreAuthentication_Authentication",
      userName: user.username,
      ...(clientId ? { clientId } : {}),
      userAttributes: eventAttributes(user),
      request: { validationData: clientMetadata ?? {} },
    });
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!ok || !user) {
    runtime.signInLockout.recordFailure(key);
    return undefined;
  }
  runtime.signInLockout.recordSuccess(key);
  if (!user.enabled) return undefined;
  if (user.status === "CONFIRMED")
    await runTrigger(runtime, pool, "PostAuthentication", {
      triggerSource: "PostAuthentication_Authentication",
      userName: user.username,
      ...(clientId ? { clientId } : {}),
      userAttributes: eventAttributes(user),
      request: { newDeviceUsed: false },
    });
  return user;
}
