// Hosted UI flows over HTTP: authorize validation, login, sign-up + confirm, sessions, logout, CSRF, escaping.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostedUiClient } from "../../../test/support/cognito/hostedUiClient.js";
import {
  PASSWORD,
  SITE_URL,
  samplePool,
  startTestEmulator,
  type TestEmulator,
} from "../../../test/support/cognito/testEmulator.js";
import { ManualClock } from "../shared/clock.js";

let env: TestEmulator;
const clock = new ManualClock();
const pool = samplePool();
const client = pool.clients[0]!;
const authorize = { clientId: client.clientId, redirectUri: SITE_URL, scope: "openid email", state: "s-1" };

async function signedUpUser(username: string, email = `${username}@example.com`): Promise<HostedUiClient> {
  const browser = new HostedUiClient(env.url);
  await browser.authorize(authorize);
  await browser.signUp({ username, email, password: PASSWORD });
  const done = await browser.confirm();
  expect(done.redirect?.code).toBeDefined();
  return browser;
}

beforeAll(async () => {
  env = await startTestEmulator({ pools: [pool], clock });
});
afterAll(() => env.close());

describe("GET /oauth2/authorize", () => {
  it("shows the login form for a valid request", async () => {
    const result = await new HostedUiClient(env.url).authorize(authorize);
    expect(result.page?.name).toBe("login");
    expect(result.page?.html).toContain('name="cognitoSignInForm"');
    expect(result.page?.html).toContain('id="signInFormUsername"');
    expect(result.page?.html).toContain("Sign up");
  });

  it("answers an unknown client with a 400 error page and no redirect", async () => {
    const result = await new HostedUiClient(env.url).authorize({ ...authorize, clientId: "nope" });
    expect(result.status).toBe(400);
    expect(result.page?.name).toBe("error");
  });

  it("never redirects to an unregistered redirect_uri", async () => {
    const result = await new HostedUiClient(env.url).authorize({
      ...authorize,
      redirectUri: "https://evil.example/",
    });
    expect(result.redirect).toBeUndefined();
    expect(result.page?.name).toBe("error");
    expect(result.url).toContain("error=redirect_mismatch");
  });

  it("treats a redirect_uri without its trailing slash as unregistered", async () => {
    const result = await new HostedUiClient(env.url).authorize({
      ...authorize,
      redirectUri: SITE_URL.slice(0, -1),
    });
    expect(result.redirect).toBeUndefined();
    expect(result.url).toContain("error=redirect_mismatch");
  });

  it.each([
    ["a missing response_type", { responseType: "" as never }, "invalid_request"],
    [
      "a PKCE method other than S256",
      { codeChallenge: "abc", codeChallengeMethod: "plain" },
      "invalid_request",
    ],
    ["a flow the client may not use", { responseType: "token" as const }, "unauthorized_client"],
    ["a scope the client may not use", { scope: "openid phone" }, "invalid_scope"],
  ])("redirects %s back with ?error=", async (_name, change, error) => {
    const result = await new HostedUiClient(env.url).authorize({ ...authorize, ...change });
    expect(result.redirect?.location.startsWith(SITE_URL)).toBe(true);
    expect(result.redirect?.error).toBe(error);
    expect(result.redirect?.state).toBe("s-1");
  });
});

describe("sign-up, confirm and login", () => {
  it("signs up, confirms with the logged code, and returns a code and the state", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    const confirmPage = await browser.signUp({
      username: "alice",
      email: "alice@example.com",
      password: PASSWORD,
    });
    expect(confirmPage.page?.name).toBe("confirm");
    const done = await browser.confirm();
    expect(done.redirect?.code).toMatch(/^[0-9a-f-]{36}$/);
    expect(done.redirect?.state).toBe("s-1");
    expect(env.emulator.listUsers(pool.id).find((u) => u.username === "alice")).toMatchObject({
      status: "CONFIRMED",
      emailVerified: true,
    });
  });

  it("rejects a wrong confirmation code with Cognito's message", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    await browser.signUp({ username: "bob", email: "bob@example.com", password: PASSWORD });
    const real = env.emulator.pendingConfirmations().find((c) => c.username === "bob")?.code;
    const result = await browser.confirm(real === "000000" ? "111111" : "000000");
    expect(result.page?.error).toBe("Invalid verification code provided, please try again.");
  });

  it.each([
    ["Sh0rt!", "Password did not conform with policy: Password not long enough"],
    ["password1!", "Password did not conform with policy: Password must have uppercase characters"],
    ["PASSWORD1!", "Password did not conform with policy: Password must have lowercase characters"],
    ["Password!!", "Password did not conform with policy: Password must have numeric characters"],
    ["Password11", "Password did not conform with policy: Password must have symbol characters"],
  ])("refuses the password %s", async (password, message) => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    const result = await browser.signUp({ username: "weak", email: "weak@example.com", password });
    expect(result.page?.error).toBe(message);
  });

  it("refuses a taken username and a malformed email", async () => {
    await signedUpUser("carol");
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    expect(
      (await browser.signUp({ username: "carol", email: "c2@example.com", password: PASSWORD })).page?.error,
    ).toBe("User already exists");
    expect(
      (await browser.signUp({ username: "dave", email: "not-an-email", password: PASSWORD })).page?.error,
    ).toBe("Invalid email address format.");
  });

  it("escapes a username carrying a script", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    const name = "<script>alert(1)</script>";
    const result = await browser.signUp({ username: name, email: "x@example.com", password: PASSWORD });
    expect(result.page?.html).not.toContain("<script>");
    expect(result.page?.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("answers a wrong password and an unknown user with the same message", async () => {
    await signedUpUser("erin");
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    const wrong = await browser.signIn("erin", "Wrong-pass1");
    const unknown = await browser.signIn("nobody", "Wrong-pass1");
    expect(wrong.page?.error).toBe("Incorrect username or password.");
    expect(unknown.page?.error).toBe("Incorrect username or password.");
  });

  it("sends an unconfirmed user to the confirm page after a correct password", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    await browser.signUp({ username: "frank", email: "frank@example.com", password: PASSWORD });
    const again = new HostedUiClient(env.url);
    await again.authorize(authorize);
    const result = await again.signIn("frank", PASSWORD);
    expect(result.page?.name).toBe("confirm");
    expect((await again.confirm()).redirect?.code).toBeDefined();
  });
});

describe("session cookie", () => {
  it("re-authorizes without credentials for an hour, then asks again", async () => {
    const browser = await signedUpUser("gina");
    const first = await browser.authorize(authorize);
    expect(first.redirect?.code).toBeDefined();
    const session = [...browser.cookies.keys()].find((name) => name.startsWith("cognito-session-"));
    expect(session).toBeDefined();
    clock.advanceBy(60 * 60_000 + 1);
    expect((await browser.authorize(authorize)).page?.name).toBe("login");
  });

  it("is cleared by /logout, which redirects only to a registered logout_uri", async () => {
    const browser = await signedUpUser("hank");
    const bad = await browser.logout({ clientId: client.clientId, logoutUri: "https://evil.example/" });
    expect(bad.redirect).toBeUndefined();
    expect(bad.url).toContain("error=redirect_mismatch");
    const out = await browser.logout({ clientId: client.clientId, logoutUri: SITE_URL });
    expect(out.redirect?.location).toBe(SITE_URL);
    expect((await browser.authorize(authorize)).page?.name).toBe("login");
  });
});

describe("form protection", () => {
  it("refuses a POST without the CSRF token", async () => {
    const browser = new HostedUiClient(env.url);
    const page = await browser.authorize(authorize);
    const response = await fetch(page.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "alice", password: PASSWORD }).toString(),
      redirect: "manual",
    });
    expect(response.status).toBe(403);
  });

  it("refuses an oversized form", async () => {
    const browser = new HostedUiClient(env.url);
    const page = await browser.authorize(authorize);
    const response = await fetch(page.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `username=${"a".repeat(20_000)}`,
      redirect: "manual",
    });
    expect(response.status).toBe(413);
    expect(await response.text()).not.toContain("at ");
  });

  it("refuses a form posted with another content type", async () => {
    const browser = new HostedUiClient(env.url);
    const page = await browser.authorize(authorize);
    const response = await fetch(page.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(400);
  });
});
