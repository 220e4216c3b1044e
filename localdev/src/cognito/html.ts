// The hosted UI's HTML pages: plain, tidy, every user-supplied value escaped.
import { createHash } from "node:crypto";
import type { PasswordRequirement } from "./passwordRules.js";

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;color:#16191f}input,button{font:inherit}
:focus-visible{outline:3px solid #0972d3;outline-offset:2px}
main{max-width:22rem;margin:3rem auto;background:#fff;padding:1.5rem 2rem;border-radius:6px;box-shadow:0 1px 4px #0002}
h1{font-size:1.2rem;margin:0 0 1rem}label{display:block;margin:1rem 0 .5rem;font-size:.9rem}
input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #aab;border-radius:4px}
button{margin-top:1.2rem;width:100%;padding:.6rem;background:#0972d3;color:#fff;border:0;border-radius:4px;font-size:1rem}
.error{color:#b0021d;background:#fff0f0;padding:.5rem;border-radius:4px}.info{color:#035;background:#eef6ff;padding:.5rem;border-radius:4px}
.alt{margin-top:1rem;font-size:.9rem;text-align:center}.note{color:#667;font-size:.8rem;margin-top:1.5rem}
.requirements{list-style:none;padding:0;margin:.6rem 0 0;font-size:.85rem;color:#b0021d}.requirements li{margin:.15rem 0}
.requirements li[data-met=true]{color:#037f0c}.mark{display:inline-block;width:1.2em;font-weight:bold}
.inline{display:inline}.link{background:none;color:#0972d3;padding:0;margin:0;width:auto;font-size:inherit;text-decoration:underline;cursor:pointer}
.forgot{font-size:.85rem;margin:.5rem 0 0}`;

/**
 * The pages' only script: marks each password requirement as met or not while the user types, in the
 * browser, without a request. The CSP allows exactly this script by its hash.
 */
const PASSWORD_SCRIPT = `for(const list of document.querySelectorAll("ul[data-password-for]")){const input=document.getElementById(list.dataset.passwordFor);if(!input)continue;const update=()=>{for(const item of list.querySelectorAll("li")){const v=input.value;const met=item.dataset.min?v.length>=Number(item.dataset.min):new RegExp(item.dataset.pattern).test(v);item.dataset.met=String(met);item.querySelector(".mark").textContent=met?"\u2713":"\u2717";}};input.addEventListener("input",update);update();}`;

/** CSP source that allows {@link PASSWORD_SCRIPT} and nothing else. */
export const PAGE_SCRIPT_SOURCE = `'sha256-${createHash("sha256").update(PASSWORD_SCRIPT).digest("base64")}'`;

/** The policy's requirements as a list the page's script marks live for the password input `inputId`. */
export function passwordRequirementList(requirements: PasswordRequirement[], inputId: string): string {
  const items = requirements.map((r) => {
    const check =
      r.minimumLength !== undefined
        ? `data-min="${r.minimumLength}"`
        : `data-pattern="${escapeHtml(r.pattern ?? "")}"`;
    return `<li data-requirement="${r.id}" ${check} data-met="false"><span class="mark" aria-hidden="true">\u2717</span>${escapeHtml(r.text)}</li>`;
  });
  return `<ul class="requirements" id="passwordRequirements" data-password-for="${inputId}" aria-label="Password requirements">${items.join("")}</ul>
<script>${PASSWORD_SCRIPT}</script>`;
}

export function layout(page: string, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main data-page="${page}">
<h1>${escapeHtml(title)}</h1>
${body}
<p class="note">furl-kit local Cognito emulator</p>
</main></body></html>`;
}

export function messages(error?: string, info?: string): string {
  return [
    error ? `<p class="error" id="errorMessage" role="alert">${escapeHtml(error)}</p>` : "",
    info ? `<p class="info" id="infoMessage">${escapeHtml(info)}</p>` : "",
  ].join("");
}

export interface FormPage {
  /** Query string (without "?") that the form posts back with: the validated authorize parameters. */
  query: string;
  csrf: string;
  error?: string;
  info?: string;
}

export function loginPage(p: FormPage & { username?: string; signUpAllowed: boolean }): string {
  const signUp = p.signUpAllowed
    ? `<p class="alt">Need an account? <a id="signUpLink" href="/signup?${escapeHtml(p.query)}">Sign up</a></p>`
    : "";
  return layout(
    "login",
    "Sign in with your username and password",
    `${messages(p.error, p.info)}
<form name="cognitoSignInForm" method="post" action="/login?${escapeHtml(p.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(p.csrf)}">
<label for="signInFormUsername">Username</label>
<input id="signInFormUsername" name="username" type="text" autocomplete="username" value="${escapeHtml(p.username ?? "")}" required autofocus>
<label for="signInFormPassword">Password</label>
<input id="signInFormPassword" name="password" type="password" autocomplete="current-password" required>
<p class="forgot"><a id="forgotPasswordLink" href="/forgotPassword?${escapeHtml(p.query)}">Forgot your password?</a></p>
<input type="hidden" name="cognitoAsfData" value="">
<button type="submit" name="signInSubmitButton" value="Sign in">Sign in</button>
</form>${signUp}`,
  );
}

export function signUpPage(
  p: FormPage & {
    username?: string;
    email?: string;
    emailIsUsername: boolean;
    requirements: PasswordRequirement[];
  },
): string {
  const usernameField = p.emailIsUsername
    ? ""
    : `<label for="signUpFormUsername">Username</label>
<input id="signUpFormUsername" name="username" type="text" autocomplete="username" value="${escapeHtml(p.username ?? "")}" required>`;
  return layout(
    "signup",
    "Sign up with a new account",
    `${messages(p.error, p.info)}
<form name="cognitoSignUpForm" method="post" action="/signup?${escapeHtml(p.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(p.csrf)}">
${usernameField}
<label for="signUpFormEmail">Email</label>
<input id="signUpFormEmail" name="email" type="email" autocomplete="email" value="${escapeHtml(p.email ?? "")}" required>
<label for="signUpFormPassword">Password</label>
<input id="signUpFormPassword" name="password" type="password" autocomplete="new-password" required aria-describedby="passwordRequirements">
${passwordRequirementList(p.requirements, "signUpFormPassword")}
<button type="submit" name="signUpButton" value="Sign up">Sign up</button>
</form>
<p class="alt">Already have an account? <a id="signInLink" href="/login?${escapeHtml(p.query)}">Sign in</a></p>`,
  );
}

/** Where the code went: the masked destination, and locally where a person can read it. */
export interface CodeDestination {
  /** `a***@e***`, when the user has an email. */
  destination?: string;
  /** The kit's list of codes (no mail is sent locally). */
  codesUrl?: string;
}

/** "Locally no mail is sent: ..." with a link to where the code can be read. */
export function localCodeNote(codesUrl: string | undefined): string {
  return codesUrl
    ? `<p class="info" id="localCodeNote">Locally no mail is sent: the code is printed in the kit's log and listed at <a href="${escapeHtml(codesUrl)}">${escapeHtml(codesUrl)}</a>.</p>`
    : "";
}

export function confirmPage(p: FormPage & CodeDestination & { username: string }): string {
  const sent = p.destination
    ? `We have sent a code by email to ${p.destination}. Enter it below to confirm your account.`
    : "We have sent a code. Enter it below to confirm your account.";
  return layout(
    "confirm",
    "Confirm your account",
    `${messages(p.error, p.info ?? sent)}${localCodeNote(p.codesUrl)}
<form name="cognitoConfirmForm" method="post" action="/confirm?${escapeHtml(p.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(p.csrf)}">
<input type="hidden" name="username" value="${escapeHtml(p.username)}">
<p>Account: <strong id="confirmUsername">${escapeHtml(p.username)}</strong></p>
<label for="verification_code">Verification code</label>
<input id="verification_code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus>
<button type="submit" name="confirm" value="Confirm account">Confirm account</button>
</form>
<form name="cognitoResendForm" class="alt" method="post" action="/resendcode?${escapeHtml(p.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(p.csrf)}">
<input type="hidden" name="username" value="${escapeHtml(p.username)}">
Didn't receive a code? <button type="submit" class="link" id="resendCode" name="resend" value="Resend code">Resend code</button>
</form>
<p class="alt"><a id="backToSignIn" href="/login?${escapeHtml(withoutUsername(p.query))}">Back to sign in</a></p>`,
  );
}

/** The authorize query without the page's own `username` and `notice` parameters. */
export function withoutUsername(query: string): string {
  const params = new URLSearchParams(query);
  params.delete("username");
  params.delete("notice");
  return params.toString();
}

export function errorPage(error: string, detail?: string): string {
  return layout(
    "error",
    "An error was encountered with the requested page.",
    `<p class="error" id="errorMessage">${escapeHtml(detail ?? error)}</p><p>error: <code id="errorCode">${escapeHtml(error)}</code></p>`,
  );
}
