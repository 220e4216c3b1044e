// Issuer paths: /<poolId>/.well-known/jwks.json and openid-configuration (AWS issuer, emulator endpoint URLs).
import { type Response, Router } from "express";
import type { CognitoRuntime, Pool } from "./runtime.js";
import { issuerOf } from "./tokens.js";

/** The pool's public keys as Cognito publishes them: the access-token key and the ID-token key. */
export function jwksOf(pool: Pool): { keys: object[] } {
  return { keys: [pool.store.keys.access.jwk, pool.store.keys.id.jwk] };
}

export function wellKnownRouter(runtime: CognitoRuntime): Router {
  const router = Router();
  const unknownPool = (res: Response, poolId: string) =>
    res.status(404).json({ message: `User pool ${poolId} does not exist.` });

  router.get("/:poolId/.well-known/jwks.json", (req, res) => {
    const pool = runtime.pool(req.params.poolId);
    if (!pool) return unknownPool(res, req.params.poolId);
    res.set("cache-control", "max-age=300").json(jwksOf(pool));
  });

  router.get("/:poolId/.well-known/openid-configuration", (req, res) => {
    const pool = runtime.pool(req.params.poolId);
    if (!pool) return unknownPool(res, req.params.poolId);
    const base = runtime.publicUrl().replace(/\/$/, "");
    res.json({
      authorization_endpoint: `${base}/oauth2/authorize`,
      end_session_endpoint: `${base}/logout`,
      id_token_signing_alg_values_supported: ["RS256"],
      issuer: issuerOf(pool.config),
      jwks_uri: `${base}/${pool.config.id}/.well-known/jwks.json`,
      response_types_supported: ["code", "token"],
      revocation_endpoint: `${base}/oauth2/revoke`,
      scopes_supported: ["openid", "email", "phone", "profile"],
      subject_types_supported: ["public"],
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      userinfo_endpoint: `${base}/oauth2/userInfo`,
    });
  });

  return router;
}
