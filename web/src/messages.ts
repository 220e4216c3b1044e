// User-facing texts of the page, in one place so tests and components agree on every word.

/** Static texts shown on the page. */
export const texts = {
  title: "furl-kit",
  homeHeading: "Lambda Function URL demo",
  homeIntro:
    "Call an AWS Lambda Function URL through CloudFront and AWS WAF. Sign in with Amazon Cognito to be " +
    "authorized, or continue as a guest to see what an unauthenticated call gets.",
  homeIntroSignedIn:
    "You are signed in. Continue signed in to call the function with a fresh authorization code, or " +
    "continue as a guest: this tab forgets the sign-in and calls without a code.",
  executeHeading: "Execute the Lambda function",
  executeIntroSignedIn: "You are signed in. Each call spends a fresh one-time authorization code.",
  executeIntroGuest: "You are a guest: the call carries no authorization code.",
  signIn: "Sign In",
  continue: "Continue",
  continueSignedIn: "Continue signed in",
  continueAsGuest: "Continue as guest",
  execute: "Execute Lambda",
  executing: "Executing…",
  returnHome: "Return to Home Page",
  signOut: "Sign out",
  signedIn: "Signed in",
  guest: "Guest · not signed in",
  loadingConfig: "Loading configuration…",
  configErrorHeading: "The page could not start",
  configErrorHint:
    "The site's /config.json is missing or invalid. Deploy the stack again or restart the local kit.",
  statusIdle: "No call made yet.",
} as const;

/** "Signed in as alice" line, shown once the Lambda told us the username. */
export function signedInAs(username: string): string {
  return `Signed in as ${username}`;
}

/** Text of the badge shown only when the local kit serves the page. */
export function localBadgeText(viewerCountry: string): string {
  return `local · viewer country ${viewerCountry}`;
}

/** Alert for a WAF custom response that carries a readable reason. */
export function blockedMessage(message: string): string {
  return `Blocked: ${message}`;
}

/** Alert for a 403 that is not our WAF custom response (plain CloudFront error page, bypass refusal). */
export const blockedByEdge = "Blocked: the request was refused by the edge (403).";

/** Alert for any 5xx answer. */
export function serverErrorMessage(status: number, detail: string): string {
  return `Server error (${status}): ${detail}`;
}

/** Alert for an answer the page does not expect (other 4xx, 2xx without a message). */
export function unexpectedAnswerMessage(status: number, detail: string): string {
  return `Unexpected answer (${status}): ${detail}`;
}

/** Alert when fetch itself throws: offline, DNS, TLS, or a CORS refusal the browser hides from us. */
export function networkErrorMessage(apiHost: string): string {
  return `Network error: could not reach the API at ${apiHost}.`;
}

/** Alert when the API does not answer in time. */
export function timeoutMessage(apiHost: string, timeoutMs: number): string {
  return `Network error: the API at ${apiHost} did not answer within ${timeoutMs / 1000} s.`;
}

/** Status line when the hosted UI redirected back with ?error=... instead of a code. */
export function signInFailedMessage(error: string, description: string | undefined): string {
  return `Sign-in failed: ${description ? `${description} (${error})` : error}`;
}
