// The hosted UI's forgot-password pages: ask for the username, then the code and the new password twice.
import {
  type CodeDestination,
  escapeHtml,
  type FormPage,
  layout,
  localCodeNote,
  messages,
  passwordRequirementList,
  withoutUsername,
} from "./html.js";
import type { PasswordRequirement } from "./passwordRules.js";

export function forgotPasswordPage(p: FormPage & { username?: string }): string {
  return layout(
    "forgotPassword",
    "Forgot your password?",
    `${messages(p.error, p.info ?? "Enter your username below and we will send a code to reset your password.")}
<form name="cognitoForgotPasswordForm" method="post" action="/forgotPassword?${escapeHtml(p.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(p.csrf)}">
<label for="forgotPasswordUsername">Username</label>
<input id="forgotPasswordUsername" name="username" type="text" autocomplete="username" value="${escapeHtml(p.username ?? "")}" required autofocus>
<button type="submit" name="reset_my_password" value="Reset my password">Reset my password</button>
</form>
<p class="alt"><a id="backToSignIn" href="/login?${escapeHtml(withoutUsername(p.query))}">Back to sign in</a></p>`,
  );
}

export function confirmForgotPasswordPage(
  p: FormPage & CodeDestination & { username: string; requirements: PasswordRequirement[] },
): string {
  const sent = p.destination
    ? `We have sent a password reset code by email to ${p.destination}. Enter it below to reset your password.`
    : "We have sent a password reset code. Enter it below to reset your password.";
  return layout(
    "confirmForgotPassword",
    "Reset your password",
    `${messages(p.error, p.info ?? sent)}${localCodeNote(p.codesUrl)}
<form name="cognitoConfirmForgotPasswordForm" method="post" action="/confirmForgotPassword?${escapeHtml(p.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(p.csrf)}">
<input type="hidden" name="username" value="${escapeHtml(p.username)}">
<p>Account: <strong id="resetUsername">${escapeHtml(p.username)}</strong></p>
<label for="forgotPasswordCode">Code</label>
<input id="forgotPasswordCode" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus>
<label for="newPassword">New password</label>
<input id="newPassword" name="password" type="password" autocomplete="new-password" required aria-describedby="passwordRequirements">
${passwordRequirementList(p.requirements, "newPassword")}
<label for="confirmNewPassword">Enter new password again</label>
<input id="confirmNewPassword" name="confirmPassword" type="password" autocomplete="new-password" required>
<button type="submit" name="change_password" value="Change password">Change password</button>
</form>
<p class="alt"><a id="backToSignIn" href="/login?${escapeHtml(withoutUsername(p.query))}">Back to sign in</a></p>`,
  );
}
