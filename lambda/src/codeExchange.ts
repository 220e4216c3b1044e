// Exchanges an authorization code for tokens at the Cognito domain's /oauth2/token endpoint.
import type { AppConfig } from "./config.js";
import { errorName, NotAuthorizedError, UpstreamError } from "./errors.js";
import { type HttpResponse, send } from "./httpClient.js";

/** Default bound on the token request, well under the function's 10 s timeout. */
export const DEFAULT_TOKEN_TIMEOUT_MS = 3000;

/** Tokens from a successful exchange. */
export interface TokenSet {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
}

/** Inputs of {@link exchangeCode}. */
export interface ExchangeCodeOptions {
  config: Pick<AppConfig, "cognitoDomainUrl" | "clientId" | "clientSecret" | "redirectUri">;
  code: string;
  timeoutMs?: number;
}

/**
 * POSTs `grant_type=authorization_code` with HTTP Basic client authentication.
 * @throws {@link NotAuthorizedError} when Cognito refuses the code (invalid, expired, reused, other client).
 * @throws {@link UpstreamError} on network failure, timeout, 5xx, an unexpected answer, or `invalid_client`
 *   (our own credentials are wrong: a configuration problem, not the caller's).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
export async function exchangeCode(options: ExchangeCodeOptions): Promise<TokenSet> {
  const { config, code } = options;
  const url = `${config.cognitoDomainUrl.replace(/\/+$/, "")}/oauth2/token`;
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: config.redirectUri,
    client_id: config.clientId,
  });
  const basic = Buffer.from(`${formEncode(config.clientId)}:${formEncode(config.clientSecret)}`).toString(
    "base64",
  );

  let response: HttpResponse;
  try {
    // Redirects are not followed: the token endpoint answers directly.
    response = await send(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        authorization: `Basic ${basic}`,
      },
      body: form.toString(),
      timeoutMs: options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
    });
  } catch (cause) {
    const timedOut = errorName(cause) === "TimeoutError";
    throw new UpstreamError(
      timedOut
        ? "Could not reach the sign-in service: it did not answer in time."
        : "Could not reach the sign-in service.",
      { reason: timedOut ? "token endpoint timeout" : `token endpoint ${errorName(cause)}`, cause },
    );
  }

  const payload = parseJson(response.body);
  if (response.status >= 200 && response.status < 300) return readTokens(payload);

  const error = oauthError(payload);
  if (error === "invalid_client" || response.status === 401) {
    throw new UpstreamError(
      "The sign-in service rejected this API's client credentials; check the deployment's configuration.",
      { reason: `token endpoint ${response.status} ${error ?? "no error code"}` },
    );
  }
  if (response.status === 400 && error !== undefined) {
    throw new NotAuthorizedError("the sign-in code is invalid, expired or already used", { reason: error });
  }
  throw new UpstreamError("Could not reach the sign-in service: it answered with an unexpected error.", {
    reason: `token endpoint ${response.status}`,
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

// RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined for HTTP Basic.
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

function oauthError(payload: unknown): string | undefined {
  if (payload !== null && typeof payload === "object" && "error" in payload) {
    const { error } = payload as { error: unknown };
    // Only well-formed OAuth error codes reach the logs.
    if (typeof error === "string" && /^[a-z_]{1,64}$/.test(error)) return error;
  }
  return undefined;
}

function readTokens(payload: unknown): TokenSet {
  const fields = (payload ?? {}) as Record<string, unknown>;
  if (typeof fields.access_token !== "string" || fields.access_token === "") {
    throw new UpstreamError("Could not reach the sign-in service: it answered without an access token.", {
      reason: "token endpoint no access_token",
    });
  }
  return {
    accessToken: fields.access_token,
    idToken: typeof fields.id_token === "string" ? fields.id_token : undefined,
    refreshToken: typeof fields.refresh_token === "string" ? fields.refresh_token : undefined,
  };
}
