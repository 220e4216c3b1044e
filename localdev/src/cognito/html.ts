// The hosted UI's HTML pages: plain, tidy, every user-supplied value escaped.

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
h1{font-size:1.2rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .2rem;font-size:.9rem}
input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #aab;border-radius:4px}
button{margin-top:1.2rem;width:100%;padding:.6rem;background:#0972d3;color:#fff;border:0;border-radius:4px;font-size:1rem}
.error{color:#b0021d;background:#fff0f0;padding:.5rem;border-radius:4px}.info{color:#035;background:#eef6ff;padding:.5rem;border-radius:4px}
.alt{margin-top:1rem;font-size:.9rem;text-align:center}.note{color:#667;font-size:.8rem;margin-top:1.5rem}`;

function layout(page: string, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main data-page="${page}">
<h1>${escapeHtml(title)}</h1>
${body}
<p class="note">furl-kit local Cognito emulator</p>
</main></body></html>`;
}

function messages(error?: string, info?: string): string {
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
<input type="hidden" name="cognitoAsfData" value="">
<button type="submit" name="signInSubmitButton" value="Sign in">Sign in</button>
</form>${signUp}`,
  );
}

export function signUpPage(
  p: FormPage & { username?: string; email?: string; emailIsUsername: boolean },
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
<input id="signUpFormPassword" name="password" type="password" autocomplete="new-password" required>
<button type="submit" name="signUpButton" value="Sign up">Sign up</button>
</form>
<p class="alt">Already have an account? <a id="signInLink" href="/login?${escapeHtml(p.query)}">Sign in</a></p>`,
  );
}

export function confirmPage(p: FormPage & { username: string }): string {
  return layout(
    "confirm",
    "Confirm your account",
    `${messages(p.error, p.info ?? "We have sent a code by email. Enter it below to confirm your account. (Locally, the code is printed in the kit's log.)")}
<form name="cognitoConfirmForm" method="post" action="/confirm?${escapeHtml(p.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(p.csrf)}">
<input type="hidden" name="username" value="${escapeHtml(p.username)}">
<p>Account: <strong id="confirmUsername">${escapeHtml(p.username)}</strong></p>
<label for="verification_code">Verification code</label>
<input id="verification_code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus>
<button type="submit" name="confirm" value="Confirm account">Confirm account</button>
</form>`,
  );
}

export function errorPage(error: string, detail?: string): string {
  return layout(
    "error",
    "An error was encountered with the requested page.",
    `<p class="error" id="errorMessage">${escapeHtml(detail ?? error)}</p><p>error: <code id="errorCode">${escapeHtml(error)}</code></p>`,
  );
}
