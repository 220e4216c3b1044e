// The pool's password policy as the requirements a person reads on the sign-up page, each with its check.
import type { CognitoPasswordPolicy } from "./config.js";

/** One requirement: its text and a pattern (or a minimum length) the page's script checks as the user types. */
export interface PasswordRequirement {
  id: "length" | "lowercase" | "uppercase" | "numbers" | "symbols";
  text: string;
  /** A JavaScript RegExp source; absent for the length rule. */
  pattern?: string;
  minimumLength?: number;
}

/** Cognito's symbol set (and space), as the policy checks it in passwords.ts. */
export const SYMBOL_PATTERN = "[\\^$*.[\\]{}()?\"!@#%&/\\\\,><':;|_~`=+\\- ]";

/**
 * The requirements the policy sets, in the order Cognito's hosted UI lists them. The wording is the
 * classic hosted UI's ("Password must contain a lower case letter"), as seen on its sign-up page; it is
 * not in the kit's reference (UNCONFIRMED). The errors the server answers stay Cognito's API texts.
 */
export function passwordRequirements(policy: CognitoPasswordPolicy): PasswordRequirement[] {
  const rules: PasswordRequirement[] = [];
  if (policy.requireNumbers)
    rules.push({ id: "numbers", text: "Password must contain a number", pattern: "[0-9]" });
  if (policy.requireSymbols)
    rules.push({ id: "symbols", text: "Password must contain a special character", pattern: SYMBOL_PATTERN });
  if (policy.requireUppercase)
    rules.push({ id: "uppercase", text: "Password must contain an upper case letter", pattern: "[A-Z]" });
  if (policy.requireLowercase)
    rules.push({ id: "lowercase", text: "Password must contain a lower case letter", pattern: "[a-z]" });
  rules.push({
    id: "length",
    text: `Password must contain at least ${policy.minimumLength} characters`,
    minimumLength: policy.minimumLength,
  });
  return rules;
}

/** Whether `password` meets one requirement: the same check the page's script runs in the browser. */
export function meetsRequirement(requirement: PasswordRequirement, password: string): boolean {
  if (requirement.minimumLength !== undefined) return password.length >= requirement.minimumLength;
  return new RegExp(requirement.pattern ?? "").test(password);
}
