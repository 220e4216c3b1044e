// Validates /oauth2/authorize parameters (also re-checked by /login, /signup, /confirm) with Cognito's outcomes.
import type { CognitoClientConfig } from "./config.js";
import { hasDuplicates, withParams } from "./httpUtil.js";
import type { CognitoRuntime, Pool } from "./runtime.js";

export interface AuthorizeRequest {
  pool: Pool;
  client: CognitoClientConfig;
  redirectUri: string;
  responseType: "code" | "token";
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  /** The validated parameters, to carry from page to page. */
  query: URLSearchParams;
}

export type AuthorizeOutcome =
  | { kind: "ok"; request: AuthorizeRequest }
  /** Rendered here: nothing may be sent to an unverified redirect_uri. */
  | { kind: "errorPage"; status: number; error: string; detail: string }
  /** 302 to the emulator's /error page (e.g. redirect_mismatch). */
  | { kind: "errorRedirect"; location: string }
  /** 302 back to the (registered) redirect_uri with ?error=. */
  | { kind: "clientRedirect"; location: string };

const CARRIED = [
  "client_id",
  "response_type",
  "scope",
  "redirect_uri",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
];

export function validateAuthorize(runtime: CognitoRuntime, params: URLSearchParams): AuthorizeOutcome {
  const clientId = params.get("client_id");
  if (!clientId)
    return { kind: "errorPage", status: 400, error: "invalid_request", detail: "client_id is required." };
  const found = runtime.client(clientId);
  if (!found)
    return { kind: "errorPage", status: 400, error: "invalid_request", detail: "Invalid client_id." };
  const { pool, client } = found;
  const redirectUri = params.get("redirect_uri");
  // Exact, character-for-character match against the registered callback URLs (trailing slash included).
  if (!redirectUri || !client.callbackUrls.includes(redirectUri)) {
    return {
      kind: "errorRedirect",
      location: `/error?${new URLSearchParams({ error: "redirect_mismatch", client_id: clientId })}`,
    };
  }
  const state = params.get("state") ?? undefined;
  const back = (error: string) => ({
    kind: "clientRedirect" as const,
    location: withParams(redirectUri, { error, state }),
  });

  const idp = params.get("identity_provider") ?? params.get("idp_identifier");
  if (idp !== null && idp !== "COGNITO")
    return {
      kind: "errorPage",
      status: 501,
      error: "FurlKit#NotEmulated",
      detail: "Federated identity providers are not emulated by furl-kit.",
    };

  const responseType = params.get("response_type");
  const method = params.get("code_challenge_method");
  const challenge = params.get("code_challenge");
  if (hasDuplicates(params)) return back("invalid_request");
  if (responseType !== "code" && responseType !== "token") return back("invalid_request");
  if ((method !== null || challenge !== null) && (method !== "S256" || !challenge))
    return back("invalid_request");

  const flow = responseType === "code" ? "code" : "implicit";
  if (
    !client.allowedOAuthFlowsUserPoolClient ||
    !client.allowedOAuthFlows.includes(flow) ||
    !client.supportedIdentityProviders.includes("COGNITO")
  )
    return back("unauthorized_client");

  const requested = (params.get("scope") ?? "").split(" ").filter(Boolean);
  // Any scope the client is not allowed makes the request invalid; no scope means all of the client's scopes.
  if (requested.some((s) => !client.allowedOAuthScopes.includes(s))) return back("invalid_scope");
  const scopes = requested.length ? [...new Set(requested)] : client.allowedOAuthScopes;

  const query = new URLSearchParams();
  for (const name of CARRIED) {
    const value = params.get(name);
    if (value !== null) query.set(name, value);
  }
  return {
    kind: "ok",
    request: {
      pool,
      client,
      redirectUri,
      responseType,
      scopes,
      ...(state !== undefined ? { state } : {}),
      ...(params.get("nonce") !== null ? { nonce: params.get("nonce")! } : {}),
      ...(challenge ? { codeChallenge: challenge } : {}),
      query,
    },
  };
}
