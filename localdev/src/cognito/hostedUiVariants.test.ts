// Hosted UI with other pool/client shapes: email as username, implicit grant, logout back to /login.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostedUiClient } from "../../../test/support/cognito/hostedUiClient.js";
import {
  PASSWORD,
  SITE_URL,
  samplePool,
  startTestEmulator,
  type TestEmulator,
} from "../../../test/support/cognito/testEmulator.js";

const emailPool = samplePool({
  poolProperties: { UsernameAttributes: ["email"] },
  clientProperties: { AllowedOAuthFlows: ["code", "implicit"] },
});
const client = emailPool.clients[0]!;
let env: TestEmulator;

beforeAll(async () => {
  env = await startTestEmulator({ pools: [emailPool] });
});
afterAll(() => env.close());

describe("a pool where the email is the username", () => {
  it("signs up by email, stores a UUID username, and signs in by email", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize({ clientId: client.clientId, redirectUri: SITE_URL });
    expect(browser.current?.page?.html).not.toContain('id="signUpFormUsername"');
    await browser.openSignUp();
    expect(browser.current?.page?.html).not.toContain('id="signUpFormUsername"');
    const confirm = await browser.signUp({ email: "uma@example.com", password: PASSWORD });
    expect(confirm.page?.name).toBe("confirm");
    expect((await browser.confirm()).redirect?.code).toBeDefined();
    const [user] = env.emulator.listUsers(emailPool.id);
    expect(user?.username).toMatch(/^[0-9a-f-]{36}$/);
    expect(user?.email).toBe("uma@example.com");

    const fresh = new HostedUiClient(env.url);
    const { code } = await fresh.signInForCode({
      clientId: client.clientId,
      redirectUri: SITE_URL,
      username: "uma@example.com",
      password: PASSWORD,
    });
    expect(code).toBeDefined();
  });

  it("refuses a second account with the same email", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize({ clientId: client.clientId, redirectUri: SITE_URL });
    const result = await browser.signUp({ email: "uma@example.com", password: PASSWORD });
    expect(result.page?.error).toBe("An account with the given email already exists.");
  });
});

describe("implicit grant and logout", () => {
  it("returns tokens in the fragment, with the state, and no refresh token", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize({
      clientId: client.clientId,
      redirectUri: SITE_URL,
      responseType: "token",
      scope: "openid email",
      state: "xyz",
      nonce: "n",
    });
    const result = await browser.signIn("uma@example.com", PASSWORD);
    expect(result.redirect?.code).toBeUndefined();
    expect(result.redirect?.fragment).toMatchObject({
      token_type: "Bearer",
      expires_in: "3600",
      state: "xyz",
    });
    expect(result.redirect?.fragment.refresh_token).toBeUndefined();
    expect(decodeJwt(result.redirect!.fragment.id_token!).nonce).toBe("n");
  });

  it("logs out with redirect_uri and response_type back to the login page", async () => {
    const browser = new HostedUiClient(env.url);
    const params = { clientId: client.clientId, redirectUri: SITE_URL };
    await browser.signInForCode({ ...params, username: "uma@example.com", password: PASSWORD });
    expect((await browser.authorize(params)).redirect?.code).toBeDefined();
    const query = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: SITE_URL,
      response_type: "code",
    });
    const result = await browser.open(`/logout?${query}`);
    expect(result.page?.name).toBe("login");
    expect((await browser.authorize(params)).page?.name).toBe("login");
  });
});
