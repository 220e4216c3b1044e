// Forgot password and resend code: new codes in the same store as sign-up codes, listed and logged alike.
import { CONFIRM_FORGOT_PASSWORD } from "./attemptLimits.js";
import { CognitoError, invalidParameter } from "./errors.js";
import { newConfirmationCode } from "./ids.js";
import { hashPassword, passwordPolicyViolation } from "./passwords.js";
import type { StoredUser } from "./poolStore.js";
import type { CognitoRuntime, Pool } from "./runtime.js";
import { customMessage } from "./triggers.js";
import { codeMismatch, postConfirmation, safeEqual, startConfirmation, userKey } from "./users.js";

/** A forgot-password code is valid for 1 hour (a sign-up code for 24). */
export const RESET_CODE_TTL_MS = 60 * 60_000;
/** ConfirmForgotPassword's wording, which differs from SignUp's "did not conform with policy". */
export const RESET_POLICY_PREFIX = "Password does not conform to policy:";

/** ResendConfirmationCode: a fresh sign-up code replaces the old one (which stops working). */
export async function resendConfirmation(
  runtime: CognitoRuntime,
  pool: Pool,
  user: StoredUser,
  clientId?: string,
): Promise<void> {
  if (user.status !== "UNCONFIRMED") throw invalidParameter("User is already confirmed.");
  await startConfirmation(runtime, pool, user, clientId, "ResendCode");
}

/**
 * ForgotPassword: a 1 h code sent where sign-up codes go (the kit's log and its confirmation-codes list).
 * Cognito needs a verified email or phone to send it to.
 */
export async function startPasswordReset(
  runtime: CognitoRuntime,
  pool: Pool,
  user: StoredUser,
  clientId?: string,
): Promise<void> {
  if (!user.enabled) throw new CognitoError("NotAuthorizedException", "User is disabled.");
  if (user.status === "UNCONFIRMED" || user.attributes.email_verified !== "true" || !user.attributes.email)
    throw invalidParameter(
      "Cannot reset password for the user as there is no registered/verified email or phone_number",
    );
  const code = newConfirmationCode();
  const custom = await customMessage(runtime, pool, {
    user,
    ...(clientId ? { clientId } : {}),
    source: "ForgotPassword",
    code,
  });
  pool.store.putConfirmation({
    ...(clientId ? { clientId } : {}),
    username: user.username,
    code,
    expiresAt: runtime.clock.now() + RESET_CODE_TTL_MS,
    purpose: "forgotPassword",
    ...(custom ? { message: custom.message } : {}),
  });
  runtime.log.info("forgot-password code (no mail is sent locally)", {
    poolId: pool.config.id,
    username: user.username,
    email: user.attributes.email,
    confirmationCode: code,
  });
}

/** ConfirmForgotPassword: checks the reset code and the new password, then sets it; the code is spent. */
export async function confirmPasswordReset(
  runtime: CognitoRuntime,
  pool: Pool,
  user: StoredUser,
  code: string,
  password: string,
): Promise<StoredUser> {
  const attempts = userKey(pool, user.username);
  runtime.codeAttempts.assertAllowed(CONFIRM_FORGOT_PASSWORD, attempts);
  const pending = pool.store.confirmation(user.username);
  if (pending?.purpose !== "forgotPassword")
    throw new CognitoError("ExpiredCodeException", "Invalid code provided, please request a code again.");
  if (!safeEqual(pending.code, code.trim())) {
    runtime.codeAttempts.recordFailure(CONFIRM_FORGOT_PASSWORD, attempts);
    throw codeMismatch();
  }
  if (pending.expiresAt <= runtime.clock.now())
    throw new CognitoError("ExpiredCodeException", "Invalid code provided, please request a code again.");
  if (password.length < 6)
    throw invalidParameter(
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6",
    );
  const violation = passwordPolicyViolation(password, pool.config.passwordPolicy, RESET_POLICY_PREFIX);
  if (violation) throw new CognitoError("InvalidPasswordException", violation);
  const passwordHash = await hashPassword(password);
  runtime.codeAttempts.recordSuccess(CONFIRM_FORGOT_PASSWORD, attempts);
  pool.store.deleteConfirmation(user.username);
  const updated: StoredUser = { ...user, passwordHash, updatedAt: runtime.clock.now() };
  pool.store.putUser(updated);
  await postConfirmation(runtime, pool, updated, pending.clientId, "ConfirmForgotPassword");
  return updated;
}
