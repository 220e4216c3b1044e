// OAuth 2.0 endpoints: /oauth2/token, /oauth2/userInfo, /oauth2/revoke, with Cognito's statuses and bodies.

import { createHash } from "node:crypto";
import express, { type Request, type Response, Router } from "express";
import type { CognitoClientConfig } from "./config.js";
import { OAuthError } from "./errors.js";
import { FORM_LIMIT, FORM_TYPE, formOf, hasDuplicates } from "./httpUtil.js";
import type { CognitoRuntime, Pool } from "./runtime.js";
import { issueTokens, reissueTokens, verifyAccessToken } from "./tokens.js";
import { customized } from "./triggers.js";
import { safeEqual } from "./users.js";

const JSON_UTF8 = "application/json;charset=UTF-8";
const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).set({ "content-type": JSON_UTF8, "cache-control": "no-store", pragma: "no-cache" });
  res.send(JSON.stringify(body));
}

export function sendOAuthError(res: Response, error: OAuthError): void {
  sendJson(res, error.status, {
    error: error.error,
    ...(error.error === "FurlKit#NotEmulated" ? { error_description: error.description } : {}),
  });
}

function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const header = req.get("authorization");
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  const decoded = match ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  if (colon < 1) throw new OAuthError("invalid_client");
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** client_secret_basic, client_secret_post, or a public client's bare client_id. */
function authenticateClient(
  runtime: CognitoRuntime,
  req: Request,
  body: URLSearchParams,
  failStatus: number,
): { pool: Pool; client: CognitoClientConfig } {
  const fail = () => new OAuthError("invalid_client", failStatus);
  const basic = basicCredentials(req);
  const bodyId = body.get("client_id");
  if (basic && bodyId && bodyId !== basic.id) throw fail();
  const bodySecret = body.get("client_secret");
  // RFC 6749 §2.3: a client MUST NOT use more than one authentication method in a request.
  if (basic && bodySecret !== null) throw fail();
  const clientId = basic?.id ?? bodyId;
  const secret = basic?.secret ?? bodySecret;
  const found = clientId ? runtime.client(clientId) : undefined;
  if (!found) throw fail();
  const expected = found.client.clientSecret;
  if (expected ? !secret || !safeEqual(expected, secret) : secret) throw fail();
  return found;
}

function pkceMatches(verifier: string, challenge: string): boolean {
  return safeEqual(createHash("sha256").update(verifier).digest("base64url"), challenge);
}

function formOrThrow(req: Request): URLSearchParams {
  const body = formOf(req);
  if (!body || hasDuplicates(body)) throw new OAuthError("invalid_request");
  return body;
}

async function tokenGrant(runtime: CognitoRuntime, req: Request): Promise<Record<string, unknown>> {
  const body = formOrThrow(req);
  const grantType = body.get("grant_type");
  if (!grantType) throw new OAuthError("invalid_request");
  if (!["authorization_code", "refresh_token", "client_credentials"].includes(grantType))
    throw new OAuthError("unsupported_grant_type");
  const { pool, client } = authenticateClient(runtime, req, body, 400);
  const now = runtime.clock.now();

  if (grantType === "authorization_code") {
    if (!client.allowedOAuthFlowsUserPoolClient || !client.allowedOAuthFlows.includes("code"))
      throw new OAuthError("unauthorized_client");
    const codeId = body.get("code");
    const redirectUri = body.get("redirect_uri");
    if (!codeId || !redirectUri) throw new OAuthError("invalid_request");
    const code = runtime.takeCode(codeId);
    if (!code || code.clientId !== client.clientId) throw new OAuthError("invalid_grant");
    // Observed from Cognito for a redirect_uri differing from the authorize one (e.g. a missing trailing slash).
    if (code.redirectUri !== redirectUri) throw new OAuthError("unauthorized_client");
    if (code.codeChallenge) {
      const verifier = body.get("code_verifier");
      if (!verifier || !PKCE_VERIFIER.test(verifier) || !pkceMatches(verifier, code.codeChallenge))
        throw new OAuthError("invalid_request");
    }
    const user = pool.store.user(code.username);
    if (!user?.enabled) throw new OAuthError("invalid_grant");
    const tokens = await issueTokens({
      pool: pool.config,
      client,
      store: pool.store,
      user,
      scopes: code.scopes,
      authTime: code.authTime,
      ...(code.nonce !== undefined ? { nonce: code.nonce } : {}),
      oauth: true,
      includeIdToken: code.scopes.includes("openid"),
      includeRefreshToken: true,
      nowMs: now,
      ...(await customized(runtime, pool, user, client.clientId, "HostedAuth", code.scopes)),
    });
    return {
      ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      expires_in: tokens.expiresIn,
      token_type: "Bearer",
    };
  }

  if (grantType === "refresh_token") {
    const token = body.get("refresh_token");
    if (!token) throw new OAuthError("invalid_request");
    if (!client.explicitAuthFlows.includes("ALLOW_REFRESH_TOKEN_AUTH"))
      throw new OAuthError("unauthorized_client");
    const grant = pool.store.refreshGrant(token, client.clientId);
    if (!grant) throw new OAuthError("invalid_grant");
    const tokens = await reissueTokens({
      pool: pool.config,
      client,
      store: pool.store,
      grant,
      oauth: true,
      nowMs: now,
      ...(await customized(runtime, pool, grant.user, client.clientId, "RefreshTokens", grant.record.scopes)),
    });
    return {
      ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      access_token: tokens.accessToken,
      expires_in: tokens.expiresIn,
      token_type: "Bearer",
    };
  }

  throw new OAuthError(
    "FurlKit#NotEmulated",
    501,
    "grant_type client_credentials is not emulated by furl-kit",
  );
}

const USERINFO_BAD_REQUEST =
  'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"';
const USERINFO_BAD_TOKEN =
  'error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out."';

export function oauthRouter(runtime: CognitoRuntime): Router {
  const router = Router();
  const log = runtime.log.child("oauth");
  const form = express.text({ type: FORM_TYPE, limit: FORM_LIMIT });

  const guard =
    (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      try {
        await handler(req, res);
      } catch (error) {
        if (error instanceof OAuthError) return sendOAuthError(res, error);
        log.error("OAuth endpoint failed", { path: req.path, error: (error as Error).message });
        sendJson(res, 500, { error: "server_error" });
      }
    };

  router.post(
    "/oauth2/token",
    form,
    guard(async (req, res) => sendJson(res, 200, await tokenGrant(runtime, req))),
  );

  const userInfo = guard(async (req, res) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
    if (!match) {
      res.set("www-authenticate", USERINFO_BAD_REQUEST);
      return sendJson(res, 400, {
        error: "invalid_request",
        error_description: "Bad OAuth2 request at UserInfo Endpoint",
      });
    }
    const check = await verifyAccessToken(match[1]!, (iss) => runtime.poolByIssuer(iss), runtime.clock.now());
    const user = check.ok ? runtime.pool(check.token.poolId)?.store.user(check.token.username) : undefined;
    // Only tokens granted the openid scope may read userInfo (InitiateAuth tokens are rejected).
    if (!check.ok || !user || !check.token.scopes.includes("openid")) {
      res.set("www-authenticate", USERINFO_BAD_TOKEN);
      return sendJson(res, 401, {
        error: "invalid_token",
        error_description:
          "Access token is expired, disabled, or deleted, or the user has globally signed out.",
      });
    }
    const scopes = check.token.scopes;
    const claims: Record<string, string> = { sub: user.sub };
    for (const [name, value] of Object.entries(user.attributes)) {
      const isEmail = name === "email" || name === "email_verified";
      const isPhone = name === "phone_number" || name === "phone_number_verified";
      const wanted = isEmail
        ? scopes.includes("email")
        : isPhone
          ? scopes.includes("phone")
          : scopes.includes("profile");
      // userInfo answers attribute values as Cognito stores them: strings, "true"/"false" included.
      if (wanted) claims[name] = value;
    }
    claims.username = user.username;
    sendJson(res, 200, claims);
  });
  router.get("/oauth2/userInfo", userInfo);
  router.post("/oauth2/userInfo", userInfo);

  router.post(
    "/oauth2/revoke",
    form,
    guard(async (req, res) => {
      const body = formOrThrow(req);
      const token = body.get("token");
      if (!token) throw new OAuthError("invalid_request");
      const { pool, client } = authenticateClient(runtime, req, body, 401);
      if (!client.enableTokenRevocation) throw new OAuthError("invalid_request");
      // Access and ID tokens are JWS (three parts); only refresh tokens can be revoked.
      if (token.split(".").length === 3) throw new OAuthError("unsupported_token_type");
      const record = pool.store.refreshToken(token);
      if (record && record.clientId === client.clientId) pool.store.revokeRefreshToken(token);
      res.status(200).set("cache-control", "no-store").end();
    }),
  );

  return router;
}
