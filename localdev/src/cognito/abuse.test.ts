// Abuse of the Cognito emulator as regressions: forged attributes, prototype-named users, brute force of
// passwords and codes, user enumeration, mixed client authentication, and acknowledged changes lost in a crash.
import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HostedUiClient } from "../../../test/support/cognito/hostedUiClient.js";
import {
  cognitoSdkFor,
  PASSWORD,
  SITE_URL,
  samplePool,
  startTestEmulator,
  type TestEmulator,
} from "../../../test/support/cognito/testEmulator.js";
import { sdkErrorOf } from "../../../test/support/sdkErrorOf.js";
import { ManualClock } from "../shared/clock.js";
import { hashPassword } from "./passwords.js";
import { PoolStore } from "./poolStore.js";

const clock = new ManualClock();
const pool = samplePool({
  poolProperties: {
    Schema: [
      { Name: "email", Required: true, Mutable: true },
      { Name: "role", AttributeDataType: "String", Mutable: true },
    ],
  },
});
const client = pool.clients[0]!;
let env: TestEmulator;
let sdk: CognitoIdentityProviderClient;
const extra: TestEmulator[] = [];

const secretHash = (username: string) =>
  createHmac("sha256", client.clientSecret!)
    .update(username + client.clientId)
    .digest("base64");

const signUp = (username: string, attributes: { Name: string; Value: string }[] = []) =>
  sdk.send(
    new SignUpCommand({
      ClientId: client.clientId,
      Username: username,
      Password: PASSWORD,
      SecretHash: secretHash(username),
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }, ...attributes],
    }),
  );

const confirm = (username: string, code: string) =>
  sdk.send(
    new ConfirmSignUpCommand({
      ClientId: client.clientId,
      Username: username,
      ConfirmationCode: code,
      SecretHash: secretHash(username),
    }),
  );

const login = (username: string, password: string) =>
  sdk.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: client.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: secretHash(username) },
    }),
  );

const codeOf = (username: string) =>
  env.emulator.pendingConfirmations().find((c) => c.username === username)!.code;
const wrongCode = (code: string) => (code === "000000" ? "111111" : "000000");

async function confirmedUser(username: string) {
  await signUp(username);
  await confirm(username, codeOf(username));
}

beforeAll(async () => {
  env = await startTestEmulator({ pools: [pool], clock });
  sdk = cognitoSdkFor(env.url);
});
afterAll(async () => {
  sdk.destroy();
  await env.close();
});
afterEach(async () => {
  for (const other of extra.splice(0)) await other.close();
});

describe("attribute writes follow the schema and the client's write attributes", () => {
  it("refuses email_verified from a client with Cognito's NotAuthorizedException", async () => {
    expect(await sdkErrorOf(signUp("eve1", [{ Name: "email_verified", Value: "true" }]))).toMatchObject({
      name: "NotAuthorizedException",
      message: "A client attempted to write unauthorized attribute",
      status: 400,
    });
    expect(env.emulator.listUsers().some((u) => u.username === "eve1")).toBe(false);
  });

  it("refuses attributes the schema does not have (cognito:groups, an undeclared custom:x)", async () => {
    for (const name of ["cognito:groups", "custom:undeclared", "__proto__", "constructor"]) {
      expect(await sdkErrorOf(signUp("eve2", [{ Name: name, Value: "admin" }]))).toMatchObject({
        name: "InvalidParameterException",
        message: `Attributes did not conform to the schema: Type for attribute {${name}} could not be determined`,
      });
    }
  });

  it("refuses a declared custom attribute the client may not write (no WriteAttributes: standard only)", async () => {
    expect(await sdkErrorOf(signUp("eve3", [{ Name: "custom:role", Value: "admin" }]))).toMatchObject({
      name: "NotAuthorizedException",
    });
  });

  it("lets an administrator set email_verified and a custom attribute", async () => {
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.id,
        Username: "adminmade",
        TemporaryPassword: PASSWORD,
        UserAttributes: [
          { Name: "email", Value: "adminmade@example.com" },
          { Name: "email_verified", Value: "true" },
          { Name: "custom:role", Value: "ops" },
        ],
      }),
    );
    const user = await sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: "adminmade" }));
    expect(user.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });
    expect(user.UserAttributes).toContainEqual({ Name: "custom:role", Value: "ops" });
  });

  it("keeps the claims Cognito sets in an ID token, even for attributes an older kit stored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "furl-cognito-claims-"));
    const planted = new PoolStore(dir, pool.id, clock);
    planted.putUser({
      username: "claims1",
      sub: "4a1b2c3d-0000-4000-8000-000000000001",
      status: "CONFIRMED",
      enabled: true,
      attributes: {
        email: "claims1@example.com",
        "cognito:username": "admin",
        token_use: "access",
        iss: "x",
      },
      passwordHash: await hashPassword(PASSWORD),
      groups: [],
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    const other = await startTestEmulator({ pools: [pool], clock, stateDir: dir });
    extra.push(other);
    const otherSdk = new CognitoIdentityProviderClient({
      endpoint: other.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const tokens = await otherSdk.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: client.clientId,
        AuthParameters: { USERNAME: "claims1", PASSWORD, SECRET_HASH: secretHash("claims1") },
      }),
    );
    otherSdk.destroy();
    const id = decodeJwt(tokens.AuthenticationResult!.IdToken!);
    expect(id).toMatchObject({ "cognito:username": "claims1", token_use: "id" });
    expect(id.iss).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${pool.id}`);
  });

  it("bounds an email before any pattern sees it: a 62 KB email is refused at once", async () => {
    const huge = `${"a".repeat(62 * 1024)}@${"b.".repeat(100)}c`;
    const error = await sdkErrorOf(
      sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.id,
          Username: "bigmail",
          UserAttributes: [{ Name: "email", Value: huge }],
        }),
      ),
    );
    expect(error).toMatchObject({ name: "InvalidParameterException", status: 400 });
  });
});

describe("prototype-named users", () => {
  it("stores and returns a user named __proto__ like any other", async () => {
    const created = await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.id,
        Username: "__proto__",
        TemporaryPassword: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "proto@example.com" }],
      }),
    );
    expect(created.User?.Username).toBe("__proto__");
    const read = await sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: "__proto__" }));
    expect(read.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(env.emulator.listUsers().some((u) => u.username === "__proto__")).toBe(true);
    expect(
      await sdkErrorOf(sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: "constructor" }))),
    ).toMatchObject({ name: "UserNotFoundException" });
  });
});

describe("brute force (reference §2: lockout after failed sign-ins, code-attempt quotas)", () => {
  it("locks a user out after 5 wrong passwords: 1 s, then doubling, refusing even the right password", async () => {
    await confirmedUser("locked1");
    for (let i = 0; i < 5; i++)
      expect(await sdkErrorOf(login("locked1", "Wrong0ne!"))).toMatchObject({
        name: "NotAuthorizedException",
        message: "Incorrect username or password.",
      });
    expect(await sdkErrorOf(login("locked1", PASSWORD))).toMatchObject({
      name: "NotAuthorizedException",
      message: "Password attempts exceeded",
    });
    clock.advanceBy(1000);
    expect(await sdkErrorOf(login("locked1", "Wrong0ne!"))).toMatchObject({
      message: "Incorrect username or password.",
    });
    // 6th failure: 2 s.
    clock.advanceBy(1999);
    expect(await sdkErrorOf(login("locked1", PASSWORD))).toMatchObject({
      message: "Password attempts exceeded",
    });
    clock.advanceBy(1);
    expect((await login("locked1", PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it("locks the hosted UI sign-in the same way", async () => {
    await confirmedUser("locked2");
    const browser = new HostedUiClient(env.url);
    const params = { clientId: client.clientId, redirectUri: SITE_URL, scope: "openid email" };
    await browser.authorize(params);
    for (let i = 0; i < 5; i++) await browser.signIn("locked2", "Wrong0ne!");
    const refused = await browser.signIn("locked2", PASSWORD);
    expect(refused.page).toMatchObject({ name: "login", error: "Password attempts exceeded" });
    clock.advanceBy(1000);
    expect((await browser.signIn("locked2", PASSWORD)).redirect?.code).toBeDefined();
  });

  it("refuses the right confirmation code after 15 wrong ones within an hour, then accepts it", async () => {
    await signUp("codes1");
    const code = codeOf("codes1");
    for (let i = 0; i < 15; i++)
      expect(await sdkErrorOf(confirm("codes1", wrongCode(code)))).toMatchObject({
        name: "CodeMismatchException",
      });
    expect(await sdkErrorOf(confirm("codes1", code))).toMatchObject({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
    clock.advanceBy(60 * 60_000);
    await confirm("codes1", code);
    const user = await sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: "codes1" }));
    expect(user.UserStatus).toBe("CONFIRMED");
  });
});

describe("strictness", () => {
  it("answers ConfirmSignUp for an unknown user like a wrong code (PreventUserExistenceErrors)", async () => {
    await signUp("known1");
    const unknown = await sdkErrorOf(confirm("nobody-here", "123456"));
    const known = await sdkErrorOf(confirm("known1", wrongCode(codeOf("known1"))));
    expect(unknown).toEqual(known);
    expect(unknown.name).toBe("CodeMismatchException");
  });

  it("refuses a token request authenticating with HTTP Basic and a body client_secret (RFC 6749 §2.3)", async () => {
    await confirmedUser("mixed1");
    const browser = new HostedUiClient(env.url);
    const { code } = await browser.signInForCode({
      clientId: client.clientId,
      redirectUri: SITE_URL,
      scope: "openid email",
      username: "mixed1",
      password: PASSWORD,
    });
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64");
    const response = await fetch(`${env.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: SITE_URL,
        client_secret: "wrong",
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_client" });
  });
});

describe("what a client was told happened survives a crash", () => {
  it("keeps a revoked refresh token revoked and a signed-out session gone after a restart without flush", async () => {
    const crashPool = samplePool();
    const crashClient = crashPool.clients[0]!;
    const first = await startTestEmulator({ pools: [crashPool], clock });
    const params = { clientId: crashClient.clientId, redirectUri: SITE_URL, scope: "openid email" };
    const browser = new HostedUiClient(first.url);
    await browser.authorize(params);
    await browser.signUp({ username: "dur1", email: "dur1@example.com", password: PASSWORD });
    const { redirect } = await browser.confirm();
    const basic = Buffer.from(`${crashClient.clientId}:${crashClient.clientSecret}`).toString("base64");
    const form = { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` };
    const tokens = (await (
      await fetch(`${first.url}/oauth2/token`, {
        method: "POST",
        headers: form,
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: redirect!.code!,
          redirect_uri: SITE_URL,
        }),
      })
    ).json()) as { refresh_token: string };
    // Let the coalesced write of the new token happen, as it would a quarter second later.
    first.emulator.flush();
    const revoked = await fetch(`${first.url}/oauth2/revoke`, {
      method: "POST",
      headers: form,
      body: new URLSearchParams({ token: tokens.refresh_token }),
    });
    expect(revoked.status).toBe(200);
    await browser.logout({ clientId: crashClient.clientId, logoutUri: SITE_URL });
    await first.close({ keepState: true, flush: false });

    const store = new PoolStore(first.stateDir, crashPool.id, clock);
    expect(store.refreshToken(tokens.refresh_token)).toBeUndefined();
    const second = await startTestEmulator({ pools: [crashPool], clock, stateDir: first.stateDir });
    extra.push(second);
    const refreshed = await fetch(`${second.url}/oauth2/token`, {
      method: "POST",
      headers: form,
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }),
    });
    expect(refreshed.status).toBe(400);
    expect(await refreshed.json()).toEqual({ error: "invalid_grant" });
  });
});
