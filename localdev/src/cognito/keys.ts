// RSA key material per pool: generated once, stored as JWK, loaded into KeyObjects for fast signing.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";

/** What the state file keeps for one key. */
export interface StoredKey {
  kid: string;
  privateJwk: Record<string, unknown>;
}

export interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Public JWK as Cognito's JWKS lists it, fields in alphabetical order. */
  jwk: { alg: "RS256"; e: string; kid: string; kty: "RSA"; n: string; use: "sig" };
}

/** The three keys of a pool: Cognito signs access and ID tokens with different keys. */
export interface PoolKeys {
  access: LoadedKey;
  id: LoadedKey;
  /** Only encrypts the opaque refresh tokens; never published. */
  refresh: LoadedKey;
}

// Cognito kids are 44-char standard base64 ('=' padded) of a SHA-256; we hash the public key's DER.
function kidOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ format: "der", type: "spki" }))
    .digest("base64");
}

export function generateStoredKey(): StoredKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    kid: kidOf(publicKey),
    privateJwk: privateKey.export({ format: "jwk" }) as Record<string, unknown>,
  };
}

export function loadKey(stored: StoredKey): LoadedKey {
  const privateKey = createPrivateKey({ key: stored.privateJwk as never, format: "jwk" });
  const publicKey = createPublicKey(privateKey);
  const { e, n } = publicKey.export({ format: "jwk" }) as { e: string; n: string };
  return {
    kid: stored.kid,
    privateKey,
    publicKey,
    jwk: { alg: "RS256", e, kid: stored.kid, kty: "RSA", n, use: "sig" },
  };
}
