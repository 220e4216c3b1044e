// A pool's Lambda triggers, started with `--app` and driven through the hosted UI as a person signs up: the
// triggers are the stack's own functions, run by the kit's Lambda runtime.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostedUiClient } from "../support/cognito/hostedUiClient.js";

const CALLBACK = "https://app.example.com/callback";

import type { Kit } from "../../localdev/src/index.js";
import { type FixtureKit, startFixtureKit } from "../support/fixtureKit.js";

let fixture: FixtureKit;
let kit: Kit;

beforeAll(async () => {
  fixture = await startFixtureKit("cognito-triggers");
  kit = fixture.kit;
}, 120_000);
afterAll(() => fixture?.close());

const pool = () => kit.endpoints.userPools[0]!;
const browser = async () => {
  const ui = new HostedUiClient(pool().domainUrl);
  await ui.authorize({ clientId: pool().clientIds[0]!, redirectUri: CALLBACK, scope: "openid email" });
  return ui;
};

describe("Cognito triggers of a stack started with --app", () => {
  it("PreSignUp auto-confirms: the new user goes straight back with a code, and the ID token has the added claim", async () => {
    const ui = await browser();
    const back = await ui.signUp({
      username: "trigger-ann",
      email: "ann@example.com",
      password: "Passw0rd!x",
    });
    expect(back.page?.name).toBeUndefined();
    expect(back.redirect?.location.startsWith(CALLBACK)).toBe(true);
    const res = await fetch(new URL("/oauth2/token", pool().domainUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: pool().clientIds[0]!,
        code: back.redirect!.code!,
        redirect_uri: CALLBACK,
      }),
    });
    expect(res.status).toBe(200);
    const { id_token } = (await res.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(id_token.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({
      "custom:plan": "fixture-gold",
      email_verified: true,
      "cognito:username": "trigger-ann",
    });
    expect(kit.cognito.listUsers().find((u) => u.username === "trigger-ann")).toMatchObject({
      status: "CONFIRMED",
    });
  }, 60_000);

  it("a PreSignUp that throws shows Cognito's message on the sign-up page", async () => {
    const ui = await browser();
    const page = await ui.signUp({
      username: "trigger-bob",
      email: "bob@blocked.example",
      password: "Passw0rd!x",
    });
    expect(page.page?.name).toBe("signup");
    expect(page.page?.error).toBe(
      "PreSignUp failed with error Registration from this domain is not allowed..",
    );
  }, 60_000);

  it("CustomMessage's text is what the kit delivers with a code", async () => {
    const ui = await browser();
    await ui.signUp({ username: "trigger-cara", email: "cara@example.com", password: "Passw0rd!x" });
    // Confirmed at sign-up already, so the code here is a forgotten password's, through CustomMessage_ForgotPassword.
    const again = await browser();
    await again.forgotPassword("trigger-cara");
    const pending = kit.cognito.pendingConfirmations().find((c) => c.username === "trigger-cara");
    expect(pending?.message).toBe(`Welcome to the fixture! Your code: ${pending?.code}`);
  }, 60_000);
});
