// Page flow decisions kept out of React: what to show on load, and what "Execute Lambda" does.
import { reauthUrl } from "./config.js";
import { signInFailedMessage } from "./messages.js";
import { readCallback, type Session } from "./session.js";

export type View = "home" | "execute";

/** What the page does right after it loads. */
export interface StartPlan {
  view: View;
  /** True once, when the hosted UI came back with state=execute and a fresh code. */
  autoExecute: boolean;
  /** URL to put in the address bar (code and state removed), if it must change. */
  replaceUrl?: string;
  /** Why sign-in failed, when the hosted UI redirected back with ?error=. */
  signInError?: string;
}

/** Takes the code from the callback URL into the session and decides the first view. */
export function planStart(href: string, session: Session): StartPlan {
  const callback = readCallback(href);
  const plan: StartPlan = { view: session.isSignedIn() ? "execute" : "home", autoExecute: false };
  if (callback.cleanUrl !== undefined) plan.replaceUrl = callback.cleanUrl;
  if (callback.code) {
    session.acceptCode(callback.code);
    plan.view = "execute";
    plan.autoExecute = callback.state === "execute";
  } else if (callback.error) {
    plan.signInError = signInFailedMessage(callback.error, callback.errorDescription);
  }
  return plan;
}

/** What one click on "Execute Lambda" does. */
export type ExecutePlan = { kind: "call"; code?: string } | { kind: "reauth"; url: string };

/**
 * Guests call without a code. Signed-in users spend their unused code; with none left they go back
 * through the hosted UI, whose session cookie returns a fresh code without asking for the password.
 */
export function planExecute(session: Session, signInUrl: string): ExecutePlan {
  if (!session.isSignedIn()) return { kind: "call" };
  const code = session.takeCode();
  if (code) return { kind: "call", code };
  return { kind: "reauth", url: reauthUrl(signInUrl) };
}
