// The steps a user takes, written once and shared by every tier and target.
import { randomBytes } from "node:crypto";
import { lambdaRequest } from "../../web/src/api.js";
import { HostedUiClient } from "../support/cognito/hostedUiClient.js";
import type { FlowTarget } from "./target.js";

/** A new user's credentials; the password meets Cognito's default policy. */
export function newUser(prefix = "user") {
  const id = randomBytes(4).toString("hex");
  return { username: `${prefix}${id}`, email: `${prefix}${id}@example.com`, password: `Str0ng!pass-${id}` };
}

export type User = ReturnType<typeof newUser>;

/** A browser's view of the hosted UI for this target's client. */
export function hostedUi(target: FlowTarget): HostedUiClient {
  return new HostedUiClient(target.cognitoUrl);
}

export function authorizeParams(target: FlowTarget, state?: string) {
  return {
    clientId: target.clientId,
    redirectUri: target.siteUrl,
    scope: "openid email",
    ...(state ? { state } : {}),
  };
}

/** Home -> Sign In -> Sign up -> confirm with the code; returns the code the site receives. */
export async function signUp(target: FlowTarget, browser: HostedUiClient, user: User): Promise<string> {
  const login = await browser.authorize(authorizeParams(target));
  if (login.page?.name !== "login") throw new Error(`expected the login page, got ${describe(login)}`);
  await browser.openSignUp();
  const confirm = await browser.signUp(user);
  if (confirm.page?.name !== "confirm")
    throw new Error(`expected the confirm page, got ${describe(confirm)}`);
  const done = await browser.confirm();
  return codeOf(done, target);
}

/** Home -> Sign In -> login form (or straight back with a session) -> the code. */
export async function signIn(target: FlowTarget, browser: HostedUiClient, user: User, state?: string) {
  const result = await browser.signInForCode({ ...authorizeParams(target, state), ...user });
  return result;
}

function describe(result: {
  status: number;
  page?: { name: string; error?: string };
  redirect?: { location: string };
}) {
  return result.page
    ? `page ${result.page.name}${result.page.error ? ` (${result.page.error})` : ""}`
    : `HTTP ${result.status} ${result.redirect?.location ?? ""}`;
}

function codeOf(result: { redirect?: { location: string; code?: string } }, target: FlowTarget): string {
  const redirect = result.redirect;
  if (!redirect?.code || !redirect.location.startsWith(target.siteUrl)) {
    throw new Error(`expected a redirect to the site with a code, got ${JSON.stringify(redirect)}`);
  }
  return redirect.code;
}

export interface ExecuteOptions {
  /** Viewer IP, sent as X-Forwarded-For (used when the target trusts it). */
  viewerIp?: string;
  /** Per-request simulated viewer country (the kit's x-furl-viewer-country). */
  country?: string;
  /** Where to send it; defaults to the CloudFront URL. */
  url?: string;
}

export interface ExecuteAnswer {
  status: number;
  headers: Headers;
  body: { message?: string; username?: string; blocked?: boolean } | undefined;
  text: string;
}

/** "Execute Lambda": the request the page sends (its own CORS-simple request), from the site's origin. */
export async function execute(target: FlowTarget, code: string | undefined, options: ExecuteOptions = {}) {
  const headers: Record<string, string> = { origin: new URL(target.siteUrl).origin };
  if (options.viewerIp) headers["x-forwarded-for"] = options.viewerIp;
  if (options.country) headers["x-furl-viewer-country"] = options.country;
  const response = await fetch(options.url ?? target.apiUrl, { ...lambdaRequest(code), headers });
  const text = await response.text();
  let body: ExecuteAnswer["body"];
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text } satisfies ExecuteAnswer;
}

/** A viewer IP from the benchmarking range 198.18.0.0/15 (no country: the simulated one applies). */
export function uniqueViewerIp(): string {
  const bytes = randomBytes(2);
  return `198.${18 + (bytes[0]! % 2)}.${bytes[1]!}.${1 + (randomBytes(1)[0]! % 250)}`;
}
