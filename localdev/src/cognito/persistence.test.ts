// State survives restarts: users created through sign-up, keys (same kid), sessions; reconfigure keeps them too.
import { afterEach, describe, expect, it } from "vitest";
import { HostedUiClient } from "../../../test/support/cognito/hostedUiClient.js";
import {
  PASSWORD,
  SITE_URL,
  samplePool,
  startTestEmulator,
  type TestEmulator,
} from "../../../test/support/cognito/testEmulator.js";
import { ManualClock } from "../shared/clock.js";

const clock = new ManualClock();
const running: TestEmulator[] = [];
afterEach(async () => {
  for (const env of running.splice(0).reverse()) await env.close();
});

describe("Function: createCognitoEmulator (state folder)", () => {
  it("keeps signed-up users, keys and the session across a restart without flush", async () => {
    const pool = samplePool();
    const client = pool.clients[0]!;
    const params = { clientId: client.clientId, redirectUri: SITE_URL, scope: "openid email" };
    const first = await startTestEmulator({ pools: [pool], clock });
    const jwks = first.emulator.jwks(pool.id);
    const browser = new HostedUiClient(first.url);
    await browser.authorize(params);
    await browser.signUp({ username: "pat", email: "pat@example.com", password: PASSWORD });
    await browser.confirm();
    // Simulated crash: the server goes away without flush(); user changes were written synchronously.
    await first.close({ keepState: true, flush: false });

    const second = await startTestEmulator({ pools: [pool], clock, stateDir: first.stateDir });
    running.push(second);
    expect(second.emulator.jwks(pool.id)).toEqual(jwks);
    expect(second.emulator.listUsers()).toMatchObject([
      { username: "pat", status: "CONFIRMED", emailVerified: true },
    ]);
    const again = new HostedUiClient(second.url);
    expect(
      (await again.signInForCode({ ...params, username: "pat", password: PASSWORD })).code,
    ).toBeDefined();
  });

  it("keeps users and keys when reconfigured with changed clients", async () => {
    const pool = samplePool();
    const env = await startTestEmulator({ pools: [pool], clock });
    running.push(env);
    const browser = new HostedUiClient(env.url);
    const client = pool.clients[0]!;
    await browser.authorize({ clientId: client.clientId, redirectUri: SITE_URL });
    await browser.signUp({ username: "quinn", email: "quinn@example.com", password: PASSWORD });
    const jwks = env.emulator.jwks(pool.id);

    const changed = { ...pool, clients: [{ ...client, callbackUrls: ["http://localhost:5173/"] }] };
    env.emulator.reconfigure([changed]);
    expect(env.emulator.jwks(pool.id)).toEqual(jwks);
    expect(env.emulator.listUsers(pool.id).map((u) => u.username)).toEqual(["quinn"]);
    const old = await new HostedUiClient(env.url).authorize({
      clientId: client.clientId,
      redirectUri: SITE_URL,
    });
    expect(old.url).toContain("error=redirect_mismatch");
  });

  it("stores passwords hashed, never in plain text", async () => {
    const { readFileSync } = await import("node:fs");
    const pool = samplePool();
    const env = await startTestEmulator({ pools: [pool], clock });
    running.push(env);
    const browser = new HostedUiClient(env.url);
    await browser.authorize({ clientId: pool.clients[0]!.clientId, redirectUri: SITE_URL });
    await browser.signUp({ username: "rita", email: "rita@example.com", password: PASSWORD });
    const state = readFileSync(`${env.stateDir}/cognito/${pool.id}.json`, "utf8");
    expect(state).toContain("scrypt$");
    expect(state).not.toContain(PASSWORD);
  });
});
