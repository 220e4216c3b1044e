// OAuth endpoints over HTTP: code exchange (basic/post, PKCE, single use, expiry), refresh, userInfo, revoke, JWKS.
import { createHash, generateKeyPairSync } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostedUiClient } from "../../../test/support/cognito/hostedUiClient.js";
import {
  cognitoSdkFor,
  PASSWORD,
  SITE_URL,
  samplePool,
  startTestEmulator,
  type TestEmulator,
} from "../../../test/support/cognito/testEmulator.js";
import { ManualClock } from "../shared/clock.js";

// Real time, so aws-jwt-verify (which reads Date.now) sees fresh tokens; moved forward for expiry tests.
const clock = new ManualClock(Date.now());
const pool = samplePool();
const client = pool.clients[0]!;
const publicPool = samplePool({ clientProperties: { GenerateSecret: false } });
const publicClient = { ...publicPool.clients[0]!, clientSecret: undefined };
publicPool.clients[0] = publicClient;
let env: TestEmulator;

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

async function codeFor(
  params: { scope?: string; nonce?: string; codeChallenge?: string; clientId?: string } = {},
): Promise<string> {
  const browser = new HostedUiClient(env.url);
  const { code } = await browser.signInForCode({
    clientId: params.clientId ?? client.clientId,
    redirectUri: SITE_URL,
    scope: params.scope ?? "openid email",
    state: "st",
    ...(params.nonce ? { nonce: params.nonce } : {}),
    ...(params.codeChallenge ? { codeChallenge: params.codeChallenge, codeChallengeMethod: "S256" } : {}),
    username: "olivia",
    password: PASSWORD,
  });
  return code;
}

function token(body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${env.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body).toString(),
  });
}

const exchange = (code: string, extra: Record<string, string> = {}) =>
  token(
    { grant_type: "authorization_code", code, redirect_uri: SITE_URL, client_id: client.clientId, ...extra },
    { authorization: basic(client.clientId, client.clientSecret!) },
  );

beforeAll(async () => {
  env = await startTestEmulator({ pools: [pool, publicPool], clock });
  const sdk = cognitoSdkFor(env.url);
  for (const p of [pool, publicPool]) {
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: p.id,
        Username: "olivia",
        UserAttributes: [{ Name: "email", Value: "olivia@example.com" }],
        MessageAction: "SUPPRESS",
      }),
    );
    await sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: p.id,
        Username: "olivia",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  }
  sdk.destroy();
});
afterAll(() => env.close());

describe("POST /oauth2/token (authorization_code)", () => {
  it("exchanges a code with client_secret_basic for Cognito-shaped tokens", async () => {
    const response = await exchange(await codeFor({ nonce: "n-1" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual([
      "access_token",
      "expires_in",
      "id_token",
      "refresh_token",
      "token_type",
    ]);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });

    const accessHeader = decodeProtectedHeader(body.access_token);
    expect(Object.keys(accessHeader)).toEqual(["kid", "alg"]);
    expect(accessHeader.kid).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(decodeProtectedHeader(body.id_token).kid).not.toBe(accessHeader.kid);

    const access = decodeJwt(body.access_token);
    expect(access).toMatchObject({
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${pool.id}`,
      client_id: client.clientId,
      token_use: "access",
      scope: "openid email",
      username: "olivia",
      version: 2,
    });
    expect(access.aud).toBeUndefined();
    for (const claim of ["sub", "origin_jti", "event_id", "jti"])
      expect(access[claim]).toMatch(/^[0-9a-f-]{36}$/);
    expect(access.exp! - access.iat!).toBe(3600);

    const id = decodeJwt(body.id_token);
    expect(id).toMatchObject({
      aud: client.clientId,
      token_use: "id",
      "cognito:username": "olivia",
      email: "olivia@example.com",
      nonce: "n-1",
      sub: access.sub,
    });
    const hash = createHash("sha256")
      .update(body.access_token)
      .digest()
      .subarray(0, 16)
      .toString("base64url");
    expect(id.at_hash).toBe(hash);
    expect(
      body.refresh_token.startsWith("eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ."),
    ).toBe(true);
  });

  it("accepts client_secret_post", async () => {
    const code = await codeFor();
    const response = await token({
      grant_type: "authorization_code",
      code,
      redirect_uri: SITE_URL,
      client_id: client.clientId,
      client_secret: client.clientSecret!,
    });
    expect(response.status).toBe(200);
  });

  it("leaves the ID token out without the openid scope", async () => {
    const body = await (await exchange(await codeFor({ scope: "email" }))).json();
    expect(body.id_token).toBeUndefined();
    expect(body.access_token).toBeDefined();
  });

  it("spends a code on first use", async () => {
    const code = await codeFor();
    expect((await exchange(code)).status).toBe(200);
    const replay = await exchange(code);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: "invalid_grant" });
  });

  it("expires a code after five minutes", async () => {
    const code = await codeFor();
    clock.advanceBy(5 * 60_000 + 1);
    expect(await (await exchange(code)).json()).toEqual({ error: "invalid_grant" });
  });

  it("rejects a wrong secret without spending the code", async () => {
    const code = await codeFor();
    const wrong = await token(
      { grant_type: "authorization_code", code, redirect_uri: SITE_URL },
      { authorization: basic(client.clientId, "wrong") },
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: "invalid_client" });
    expect((await exchange(code)).status).toBe(200);
  });

  it.each([
    ["an unknown client", { authorization: basic("unknownclient", "x") }, {}, "invalid_client"],
    ["no client authentication", {}, {}, "invalid_client"],
    ["a missing code", undefined, { code: "" }, "invalid_request"],
    ["another redirect_uri", undefined, { redirect_uri: SITE_URL.slice(0, -1) }, "unauthorized_client"],
    ["an unknown grant type", undefined, { grant_type: "password" }, "unsupported_grant_type"],
  ])("answers %s with Cognito's error", async (_name, headers, change, error) => {
    const code = await codeFor();
    const body = { grant_type: "authorization_code", code, redirect_uri: SITE_URL, ...change };
    const response = await token(
      body,
      headers ?? { authorization: basic(client.clientId, client.clientSecret!) },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
  });

  it("refuses a body that is not a form", async () => {
    const response = await fetch(`${env.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_request" });
  });

  it("answers client_credentials as not emulated, never as AWS", async () => {
    const response = await token(
      { grant_type: "client_credentials" },
      { authorization: basic(client.clientId, client.clientSecret!) },
    );
    expect(response.status).toBe(501);
    expect((await response.json()).error).toBe("FurlKit#NotEmulated");
  });
});

describe("PKCE (S256)", () => {
  const verifier = "verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
  const challenge = createHash("sha256").update(verifier).digest("base64url");

  it("accepts the matching verifier from a public client", async () => {
    const code = await codeFor({ codeChallenge: challenge, clientId: publicClient.clientId });
    const response = await token({
      grant_type: "authorization_code",
      code,
      redirect_uri: SITE_URL,
      client_id: publicClient.clientId,
      code_verifier: verifier,
    });
    expect(response.status).toBe(200);
  });

  it("rejects a mismatching verifier, then the spent code", async () => {
    const code = await codeFor({ codeChallenge: challenge });
    const wrong = await exchange(code, { code_verifier: `${verifier}x` });
    expect(await wrong.json()).toEqual({ error: "invalid_request" });
    expect(await (await exchange(code, { code_verifier: verifier })).json()).toEqual({
      error: "invalid_grant",
    });
  });
});

describe("refresh, userInfo and revoke", () => {
  it("refreshes without a new refresh token and keeps auth_time", async () => {
    const first = await (await exchange(await codeFor())).json();
    clock.advanceBy(10 * 60_000);
    const response = await token(
      { grant_type: "refresh_token", refresh_token: first.refresh_token },
      { authorization: basic(client.clientId, client.clientSecret!) },
    );
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    expect(decodeJwt(body.access_token).auth_time).toBe(decodeJwt(first.access_token).auth_time);
    expect(decodeJwt(body.access_token).iat).toBeGreaterThan(decodeJwt(first.access_token).iat!);
  });

  it("serves userInfo for a valid token and 401 once it expired", async () => {
    const { access_token } = await (await exchange(await codeFor())).json();
    const ask = () =>
      fetch(`${env.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${access_token}` } });
    const ok = await ask();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      username: "olivia",
      email: "olivia@example.com",
      email_verified: "false",
    });
    clock.advanceBy(60 * 60_000 + 1000);
    const expired = await ask();
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("answers userInfo without a bearer token with 400", async () => {
    const response = await fetch(`${env.url}/oauth2/userInfo`);
    expect(response.status).toBe(400);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_request"');
  });

  it("revokes a refresh token and the access tokens issued with it", async () => {
    const tokens = await (await exchange(await codeFor())).json();
    const revoke = (value: string) =>
      fetch(`${env.url}/oauth2/revoke`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: basic(client.clientId, client.clientSecret!),
        },
        body: new URLSearchParams({ token: value }).toString(),
      });
    expect((await revoke(tokens.access_token)).status).toBe(400);
    const done = await revoke(tokens.refresh_token);
    expect(done.status).toBe(200);
    expect(await done.text()).toBe("");
    const refresh = await token(
      { grant_type: "refresh_token", refresh_token: tokens.refresh_token },
      { authorization: basic(client.clientId, client.clientSecret!) },
    );
    expect(await refresh.json()).toEqual({ error: "invalid_grant" });
    const info = await fetch(`${env.url}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(info.status).toBe(401);
  });
});

describe("JWKS, discovery and aws-jwt-verify", () => {
  it("serves two RSA keys and a discovery document with the AWS issuer and emulator endpoints", async () => {
    const jwks = await (await fetch(`${env.url}/${pool.id}/.well-known/jwks.json`)).json();
    expect(jwks.keys).toHaveLength(2);
    expect(Object.keys(jwks.keys[0])).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    const discovery = await (await fetch(`${env.url}/${pool.id}/.well-known/openid-configuration`)).json();
    expect(discovery.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${pool.id}`);
    expect(discovery.token_endpoint).toBe(`${env.url}/oauth2/token`);
    expect(discovery.jwks_uri).toBe(`${env.url}/${pool.id}/.well-known/jwks.json`);
  });

  it("lets CognitoJwtVerifier accept the emulator's access tokens and reject another key's", async () => {
    clock.set(Date.now());
    const { access_token } = await (await exchange(await codeFor())).json();
    const verifier = CognitoJwtVerifier.create({
      userPoolId: pool.id,
      tokenUse: "access",
      clientId: client.clientId,
    });
    verifier.cacheJwks(env.emulator.jwks(pool.id) as never);
    await expect(verifier.verify(access_token)).resolves.toMatchObject({ username: "olivia" });

    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = await new SignJWT(decodeJwt(access_token))
      .setProtectedHeader(decodeProtectedHeader(access_token) as { alg: string })
      .sign(privateKey);
    await expect(verifier.verify(forged)).rejects.toThrow(/signature/i);
  });
});
