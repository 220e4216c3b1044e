// Verifies Cognito access tokens with aws-jwt-verify, fetching keys from the JWKS URI held in config.
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import {
  FetchError,
  JwksValidationError,
  JwkValidationError,
  JwtBaseError,
  JwtExpiredError,
} from "aws-jwt-verify/error";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { AppConfig } from "./config.js";
import { errorName, JwksUnavailableError, NotAuthorizedError, UpstreamError } from "./errors.js";
import { type HttpResponse, send } from "./httpClient.js";

/** Default bound on one JWKS download. */
export const DEFAULT_JWKS_TIMEOUT_MS = 3000;

/** Verifies access tokens; keeps one verifier (and its JWKS cache) per pool, client and JWKS URI. */
export interface TokenVerifier {
  /**
   * @returns the `username` claim of a valid access token
   * @throws {@link NotAuthorizedError} when the token fails verification (signature, expiry, client, token use)
   * @throws {@link UpstreamError} when the signing keys cannot be fetched or are malformed
   */
  verifyAccessToken(
    config: Pick<AppConfig, "userPoolId" | "clientId" | "jwksUri">,
    token: string,
  ): Promise<{ username: string }>;
}

/**
 * A Fetcher that ignores the URI aws-jwt-verify derives from the pool id and downloads `jwksUri` instead,
 * over http or https, with a timeout. (aws-jwt-verify has no jwksUri option and its own fetcher is HTTPS-only.)
 */
export function createJwksFetcher(jwksUri: string, timeoutMs = DEFAULT_JWKS_TIMEOUT_MS): Fetcher {
  return {
    async fetch() {
      let response: HttpResponse;
      try {
        response = await send(jwksUri, { method: "GET", headers: { accept: "application/json" }, timeoutMs });
      } catch (cause) {
        throw new JwksUnavailableError({ reason: `jwks ${errorName(cause)}`, cause });
      }
      if (response.status !== 200) {
        throw new JwksUnavailableError({ reason: `jwks status ${response.status}` });
      }
      const { body } = response;
      return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
    },
  };
}

/** Creates a {@link TokenVerifier}; create it once, outside the handler, so keys stay cached while warm. */
export function createTokenVerifier(options: { jwksTimeoutMs?: number } = {}): TokenVerifier {
  const verifiers = new Map<string, { verify(token: string): Promise<Record<string, unknown>> }>();

  function verifierFor(config: Pick<AppConfig, "userPoolId" | "clientId" | "jwksUri">) {
    const key = `${config.userPoolId}|${config.clientId}|${config.jwksUri}`;
    let verifier = verifiers.get(key);
    if (!verifier) {
      const jwksCache = new SimpleJwksCache({
        fetcher: createJwksFetcher(config.jwksUri, options.jwksTimeoutMs),
      });
      verifier = CognitoJwtVerifier.create(
        { userPoolId: config.userPoolId, tokenUse: "access", clientId: config.clientId },
        { jwksCache },
      ) as unknown as { verify(token: string): Promise<Record<string, unknown>> };
      verifiers.set(key, verifier);
    }
    return verifier;
  }

  return {
    async verifyAccessToken(config, token) {
      let payload: Record<string, unknown>;
      try {
        payload = await verifierFor(config).verify(token);
      } catch (cause) {
        throw classify(cause);
      }
      if (typeof payload.username !== "string" || payload.username === "") {
        throw new NotAuthorizedError("the access token failed verification", { reason: "no username claim" });
      }
      return { username: payload.username };
    },
  };
}

function classify(cause: unknown): Error {
  if (cause instanceof UpstreamError) return cause;
  // The keys themselves are broken or unreachable: the sign-in service's fault, not the caller's.
  if (
    cause instanceof FetchError ||
    cause instanceof JwksValidationError ||
    cause instanceof JwkValidationError
  ) {
    return new UpstreamError("Could not reach the sign-in service: its signing keys are unusable.", {
      reason: `jwks ${errorName(cause)}`,
      cause,
    });
  }
  if (cause instanceof JwtExpiredError) {
    return new NotAuthorizedError("the access token has expired", { reason: errorName(cause), cause });
  }
  if (cause instanceof JwtBaseError) {
    return new NotAuthorizedError("the access token failed verification", {
      reason: errorName(cause),
      cause,
    });
  }
  return new UpstreamError("Could not verify the sign-in.", { reason: `verify ${errorName(cause)}`, cause });
}
