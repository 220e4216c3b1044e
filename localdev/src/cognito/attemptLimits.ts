// Cognito's brute-force protections: the lockout after failed sign-ins and the per-user quotas on code attempts.
// Rules: reference §2 "Lockout" and "Code validity and per-user attempt quotas", from the Cognito developer
// guide, amazon-cognito-user-pools-authentication-flow ("After five failed sign-in attempts, Amazon Cognito
// locks out your user for one second. The lockout duration then doubles after each additional one failed
// attempt, up to a maximum of approximately 15 minutes.") and limits (attempts per user per hour).
import type { Clock } from "../shared/clock.js";
import { CognitoError, notAuthorized } from "./errors.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
// Counters are per user name, and names come from clients: the oldest are forgotten beyond this many.
const MAX_TRACKED = 10_000;

const FREE_FAILURES = 4;
const MAX_LOCKOUT_MS = 15 * MINUTE;
// "The counter resets after 15 consecutive minutes without sign-in attempts" (subject to change, AWS says).
const RESET_AFTER_MS = 15 * MINUTE;

interface SignInRecord {
  failures: number;
  lockedUntil: number;
  lastAttempt: number;
}

/** Map with insertion-order eviction, so a flood of made-up names cannot grow memory without bound. */
function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_TRACKED) map.delete(map.keys().next().value as string);
}

/**
 * Failed sign-ins per user: the 5th failure locks the user out for 1 s, each further one doubles it, up to
 * 15 minutes. Attempts during a lockout are refused with `Password attempts exceeded` before the password
 * is checked, and do not lengthen later lockouts.
 */
export class SignInLockout {
  private readonly records = new Map<string, SignInRecord>();

  constructor(private readonly clock: Clock) {}

  /** Throws NotAuthorizedException `Password attempts exceeded` while `key` is locked out. */
  assertAllowed(key: string): void {
    const record = this.current(key);
    if (record && this.clock.now() < record.lockedUntil) throw notAuthorized("Password attempts exceeded");
  }

  recordFailure(key: string): void {
    const now = this.clock.now();
    const failures = (this.current(key)?.failures ?? 0) + 1;
    const lockMs = failures > FREE_FAILURES ? Math.min(2 ** (failures - 5) * SECOND, MAX_LOCKOUT_MS) : 0;
    remember(this.records, key, { failures, lockedUntil: now + lockMs, lastAttempt: now });
  }

  recordSuccess(key: string): void {
    this.records.delete(key);
  }

  private current(key: string): SignInRecord | undefined {
    const record = this.records.get(key);
    if (record && this.clock.now() - record.lastAttempt >= RESET_AFTER_MS) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }
}

/** A code-checking action and its quota of failed attempts per user per hour. */
export interface CodeQuota {
  action: string;
  attemptsPerHour: number;
}

/** ConfirmSignUp: 15 attempts per user per hour (limits page, non-adjustable). */
export const CONFIRM_SIGN_UP: CodeQuota = { action: "ConfirmSignUp", attemptsPerHour: 15 };
/** ConfirmForgotPassword: "5–20 depending on risk score"; the kit takes the strictest, 5. */
export const CONFIRM_FORGOT_PASSWORD: CodeQuota = { action: "ConfirmForgotPassword", attemptsPerHour: 5 };

/**
 * Wrong codes per user and action within the last hour, for any kind of code (sign-up confirmation,
 * password reset, attribute verification). Beyond the quota every attempt, right or wrong, gets
 * LimitExceededException until the oldest failure is an hour old.
 */
export class CodeAttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  assertAllowed(quota: CodeQuota, user: string): void {
    if (this.recent(quota, user).length >= quota.attemptsPerHour)
      throw new CognitoError("LimitExceededException", "Attempt limit exceeded, please try after some time.");
  }

  recordFailure(quota: CodeQuota, user: string): void {
    const times = [...this.recent(quota, user), this.clock.now()].slice(-quota.attemptsPerHour);
    remember(this.failures, keyOf(quota, user), times);
  }

  /** A right code ends the flow; its failures no longer count. */
  recordSuccess(quota: CodeQuota, user: string): void {
    this.failures.delete(keyOf(quota, user));
  }

  private recent(quota: CodeQuota, user: string): number[] {
    const since = this.clock.now() - HOUR;
    return (this.failures.get(keyOf(quota, user)) ?? []).filter((t) => t > since);
  }
}

const keyOf = (quota: CodeQuota, user: string) => `${quota.action}\u0000${user}`;
