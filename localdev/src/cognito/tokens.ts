// Issues Cognito-shaped tokens (RS256 JWTs with Cognito's header and claims, JWE-looking refresh tokens) and
// verifies the emulator's own access tokens.

import {
  constants,
  createCipheriv,
  createHash,
  publicEncrypt,
  randomBytes,
  sign as rsaSign,
} from "node:crypto";
import { decodeJwt, errors as joseErrors, jwtVerify } from "jose";
import type { CognitoClientConfig, CognitoUserPoolConfig } from "./config.js";
import { newUuid } from "./ids.js";
import type { PoolStore, StoredRefreshToken, StoredUser } from "./poolStore.js";
import { customizeClaims, type TokenCustomization } from "./triggers.js";

/** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the AWS form, even locally, so verifiers accept it. */
export function issuerOf(pool: CognitoUserPoolConfig): string {
  return `https://cognito-idp.${pool.region}.amazonaws.com/${pool.id}`;
}

export const ADMIN_SCOPE = "aws.cognito.signin.user.admin";

export interface IssueRequest {
  pool: CognitoUserPoolConfig;
  client: CognitoClientConfig;
  store: PoolStore;
  user: StoredUser;
  scopes: string[];
  /** Epoch seconds of the original sign-in; unchanged on refresh. */
  authTime: number;
  /** Reused on refresh: it ties every token of one sign-in together (revocation). */
  originJti?: string;
  nonce?: string;
  /** Tokens from the OAuth endpoints carry at_hash; InitiateAuth tokens do not. */
  oauth: boolean;
  includeIdToken: boolean;
  includeRefreshToken: boolean;
  nowMs: number;
  /** What a PreTokenGeneration trigger asked for (see triggers.ts). */
  customization?: TokenCustomization;
}

export interface IssuedTokens {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  expiresIn: number;
}

function atHash(accessToken: string): string {
  const hash = createHash("sha256").update(accessToken).digest();
  return hash.subarray(0, hash.length / 2).toString("base64url");
}

// Which attributes an ID token carries: OIDC scopes select them; the admin scope (InitiateAuth) means all.
function idTokenAttributes(user: StoredUser, scopes: string[]): Record<string, unknown> {
  const all = scopes.includes(ADMIN_SCOPE) || scopes.includes("profile");
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    const isEmail = name === "email" || name === "email_verified";
    const isPhone = name === "phone_number" || name === "phone_number_verified";
    const wanted = all || (isEmail && scopes.includes("email")) || (isPhone && scopes.includes("phone"));
    if (!wanted) continue;
    // *_verified are JSON booleans in ID tokens; everything else (custom:* too) stays a string.
    out[name] = name.endsWith("_verified") ? value === "true" : value;
  }
  return out;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

// RS256 with node:crypto directly: Cognito's header is exactly {"kid","alg"}, and signing with the loaded
// KeyObject avoids per-token key conversion (the token endpoint's hot path). The callback form signs on
// libuv's thread pool, so RSA work for concurrent exchanges leaves the event loop free.
function sign(payload: Record<string, unknown>, key: PoolStore["keys"]["access"]): Promise<string> {
  const input = `${b64url(JSON.stringify({ kid: key.kid, alg: "RS256" }))}.${b64url(JSON.stringify(payload))}`;
  return new Promise((resolve, reject) => {
    rsaSign("sha256", Buffer.from(input), key.privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString("base64url")}`);
    });
  });
}

const REFRESH_HEADER = b64url(JSON.stringify({ cty: "JWT", enc: "A256GCM", alg: "RSA-OAEP" }));

/** A real compact JWE (RSA-OAEP + A256GCM) of random bytes: opaque like Cognito's, mapped server side. */
function opaqueRefreshToken(key: PoolStore["keys"]["refresh"]): string {
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const encryptedKey = publicEncrypt(
    { key: key.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
    cek,
  );
  const cipher = createCipheriv("aes-256-gcm", cek, iv);
  cipher.setAAD(Buffer.from(REFRESH_HEADER));
  const ciphertext = Buffer.concat([cipher.update(randomBytes(1024)), cipher.final()]);
  return [
    REFRESH_HEADER,
    b64url(encryptedKey),
    b64url(iv),
    b64url(ciphertext),
    b64url(cipher.getAuthTag()),
  ].join(".");
}

export async function issueTokens(req: IssueRequest): Promise<IssuedTokens> {
  const { pool, client, store, user } = req;
  const iat = Math.floor(req.nowMs / 1000);
  const iss = issuerOf(pool);
  const originJti = req.originJti ?? newUuid();
  const eventId = newUuid();
  const custom = req.customization;
  const groupList = custom?.groups ?? user.groups;
  const groups = groupList.length ? { "cognito:groups": groupList } : {};
  const scopes = custom
    ? [...new Set([...req.scopes, ...custom.access.scopesAdd])].filter(
        (s) => !custom.access.scopesSuppress.includes(s),
      )
    : req.scopes;
  const accessExpiresIn = Math.round(client.accessTokenValidityMinutes * 60);

  const accessToken = await sign(
    customizeClaims(
      {
        sub: user.sub,
        ...groups,
        iss,
        client_id: client.clientId,
        origin_jti: originJti,
        event_id: eventId,
        token_use: "access",
        scope: scopes.join(" "),
        auth_time: req.authTime,
        exp: iat + accessExpiresIn,
        iat,
        jti: newUuid(),
        username: user.username,
        version: 2,
      },
      custom?.access,
    ),
    store.keys.access,
  );

  let idToken: string | undefined;
  if (req.includeIdToken) {
    idToken = await sign(
      customizeClaims(
        {
          // Attributes first: no stored value may shadow a claim Cognito sets itself.
          ...idTokenAttributes(user, req.scopes),
          ...(req.oauth ? { at_hash: atHash(accessToken) } : {}),
          sub: user.sub,
          ...groups,
          iss,
          "cognito:username": user.username,
          ...(req.nonce !== undefined ? { nonce: req.nonce } : {}),
          origin_jti: originJti,
          aud: client.clientId,
          event_id: eventId,
          token_use: "id",
          auth_time: req.authTime,
          exp: iat + Math.round(client.idTokenValidityMinutes * 60),
          iat,
          jti: newUuid(),
        },
        custom?.id,
      ),
      store.keys.id,
    );
  }

  let refreshToken: string | undefined;
  if (req.includeRefreshToken) {
    refreshToken = opaqueRefreshToken(store.keys.refresh);
    store.putRefreshToken(refreshToken, {
      clientId: client.clientId,
      username: user.username,
      scopes: req.scopes,
      originJti,
      authTime: req.authTime,
      expiresAt: req.nowMs + client.refreshTokenValidityMinutes * 60_000,
    });
  }

  return {
    accessToken,
    ...(idToken ? { idToken } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    expiresIn: accessExpiresIn,
  };
}

export interface VerifiedAccessToken {
  poolId: string;
  username: string;
  clientId: string;
  scopes: string[];
}

export type AccessTokenCheck =
  | { ok: true; token: VerifiedAccessToken }
  | { ok: false; reason: "expired" | "invalid" };

/**
 * New access and ID tokens from a refresh grant: the grant's scopes, sign-in time and origin_jti, and no new
 * refresh token (Cognito keeps the old one). OAuth answers carry an ID token only for the openid scope.
 */
export function reissueTokens(req: {
  pool: CognitoUserPoolConfig;
  client: CognitoClientConfig;
  store: PoolStore;
  grant: { record: StoredRefreshToken; user: StoredUser };
  oauth: boolean;
  nowMs: number;
  customization?: TokenCustomization;
}): Promise<IssuedTokens> {
  const { record, user } = req.grant;
  return issueTokens({
    pool: req.pool,
    client: req.client,
    store: req.store,
    user,
    scopes: record.scopes,
    authTime: record.authTime,
    originJti: record.originJti,
    oauth: req.oauth,
    includeIdToken: !req.oauth || record.scopes.includes("openid"),
    includeRefreshToken: false,
    nowMs: req.nowMs,
    ...(req.customization ? { customization: req.customization } : {}),
  });
}

/** Verifies an access token issued by this emulator: signature, issuer, expiry, token_use, revocation, user. */
export async function verifyAccessToken(
  token: string,
  findPool: (issuer: string) => { config: CognitoUserPoolConfig; store: PoolStore } | undefined,
  nowMs: number,
): Promise<AccessTokenCheck> {
  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    return { ok: false, reason: "invalid" };
  }
  const pool = typeof issuer === "string" ? findPool(issuer) : undefined;
  if (!pool) return { ok: false, reason: "invalid" };
  try {
    const { payload } = await jwtVerify(token, pool.store.keys.access.publicKey, {
      issuer: issuerOf(pool.config),
      algorithms: ["RS256"],
      currentDate: new Date(nowMs),
    });
    const username = payload.username;
    if (
      payload.token_use !== "access" ||
      typeof username !== "string" ||
      typeof payload.client_id !== "string"
    )
      return { ok: false, reason: "invalid" };
    if (typeof payload.origin_jti === "string" && pool.store.isRevoked(payload.origin_jti))
      return { ok: false, reason: "invalid" };
    if (!pool.store.user(username)) return { ok: false, reason: "invalid" };
    return {
      ok: true,
      token: {
        poolId: pool.config.id,
        username,
        clientId: payload.client_id,
        scopes: typeof payload.scope === "string" ? payload.scope.split(" ") : [],
      },
    };
  } catch (error) {
    return { ok: false, reason: error instanceof joseErrors.JWTExpired ? "expired" : "invalid" };
  }
}
