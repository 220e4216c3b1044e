// The console's data over HTTP: no secret reaches it, and only the console's own page may read or act.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostedUiClient } from "../../../test/support/cognito/hostedUiClient.js";
import {
  SITE_URL,
  startTestEmulator,
  type TestEmulator,
} from "../../../test/support/cognito/testEmulator.js";
import type { LocalDeployment } from "../kit/deployment.js";
import { type Listening, listen } from "../shared/listen.js";
import { silentLogger } from "../shared/log.js";
import type { SynthesizedStack } from "../template/template.js";
import { createKitConsole, type KitConsole } from "./consoleServer.js";
import { ConsoleHistory } from "./history.js";

const ORIGIN_SECRET = "origin-secret-3f9a1c0b7d2e4a68b5c1";
const FUNCTION = "FurlKit-Api";

describe("Kit console data", () => {
  let cognito: TestEmulator;
  let server: Listening;
  let kitConsole: KitConsole;
  const history = new ConsoleHistory({ requests: 10, logLines: 20 });
  const secrets: string[] = [];
  let pendingCode = "";

  beforeAll(async () => {
    // Prepare: a pool with a confirmed, signed-in user (spent confirmation code, session, tokens) and a
    // user still waiting for its code.
    cognito = await startTestEmulator();
    const pool = cognito.pools[0]!;
    const client = pool.clients[0]!;
    const params = { clientId: client.clientId, redirectUri: SITE_URL, scope: "openid email" };
    const browser = new HostedUiClient(cognito.url);
    const user = { username: "alice", email: "alice@example.com", password: "Str0ng!pass-alice" };
    await browser.authorize(params);
    await browser.openSignUp();
    await browser.signUp(user);
    const spentCode = (await browser.pendingConfirmationCode("alice"))!;
    const confirmed = await browser.confirm(spentCode);
    const authCode = confirmed.redirect!.code!;
    const tokenResponse = await fetch(`${cognito.url}/oauth2/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code: authCode, redirect_uri: SITE_URL }),
    });
    const tokens = (await tokenResponse.json()) as Record<string, string>;
    expect(tokens.access_token).toBeTruthy();
    const other = new HostedUiClient(cognito.url);
    await other.authorize(params);
    await other.openSignUp();
    await other.signUp({ username: "bob", email: "bob@example.com", password: "Str0ng!pass-bob" });
    pendingCode = (await other.pendingConfirmationCode("bob"))!;
    const sessionCookie = [...browser.cookies.values()].find((v) => v.length > 20)!;
    secrets.push(
      client.clientSecret!,
      ORIGIN_SECRET,
      spentCode,
      authCode,
      tokens.access_token!,
      tokens.id_token!,
      tokens.refresh_token!,
      user.password,
      sessionCookie,
    );

    // What the function would log if it were careless, and what the edge reports.
    const requestId = "5d2c3a1e-0000-4000-8000-000000000001";
    history.addActivity({
      functionName: FUNCTION,
      invocations: [
        { requestId, startedAt: new Date().toISOString(), durationMs: 3, status: "success", cold: false },
      ],
      logs: [
        {
          time: new Date().toISOString(),
          functionName: FUNCTION,
          requestId,
          level: "INFO",
          text: `secret=${client.clientSecret} origin=${ORIGIN_SECRET} access=${tokens.access_token} refresh=${tokens.refresh_token}`,
        },
      ],
      instances: { warm: 1, busy: 0 },
    });

    const deployment = {
      stackName: "FurlKit",
      region: "us-east-1",
      userPools: [
        {
          logicalId: "Pool",
          id: pool.id,
          properties: {},
          clients: [
            {
              logicalId: "Client",
              clientId: client.clientId,
              clientSecret: client.clientSecret,
              properties: {},
            },
          ],
        },
      ],
      parameters: [
        { name: "/furl/client-secret", type: "SecureString", value: client.clientSecret! },
        { name: "/furl/client-id", type: "String", value: client.clientId },
      ],
      functions: [{ logicalId: "Api", name: FUNCTION, codeDir: "/dev/null", properties: {} }],
      stackFunctions: [
        {
          logicalId: "Api",
          name: FUNCTION,
          arn: `arn:aws:lambda:us-east-1:000000000000:function:${FUNCTION}`,
          codeDir: "/dev/null",
          properties: {},
        },
      ],
      webAcls: [],
      secrets: { "arn:aws:secretsmanager:us-east-1:000000000000:secret:origin-AbCdEf": ORIGIN_SECRET },
      outputs: {},
      notEmulated: [],
    } as unknown as LocalDeployment;
    const stack = {
      stackName: "FurlKit",
      templatePath: "FurlKit.template.json",
      template: { Resources: { Pool: { Type: "AWS::Cognito::UserPool" } } },
    } as unknown as SynthesizedStack;
    kitConsole = createKitConsole({
      history,
      log: silentLogger,
      sources: {
        deployment: () => deployment,
        stack: () => stack,
        endpoints: () => ({ cognitoIdp: cognito.url, ssm: "http://127.0.0.1:1" }),
        functionConfigs: () => [
          {
            name: FUNCTION,
            codeDir: "/dev/null",
            handler: "index.handler",
            runtime: "nodejs22.x",
            environment: { ORIGIN_SECRET_FOR_TEST: ORIGIN_SECRET, PARAMETER_PREFIX: "/furl" },
            timeoutSeconds: 10,
            memorySizeMb: 256,
          },
        ],
        notEmulated: () => [],
        cognito: cognito.emulator,
        invoke: async () => ({
          ok: true,
          payload: { token: tokens.access_token },
          durationMs: 1,
          requestId,
          instanceId: "i",
          cold: false,
        }),
      },
    });
    server = await listen(kitConsole.handler, 0, "control");
  });
  afterAll(async () => {
    kitConsole?.close();
    await server?.close();
    await cognito?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  /** The first event of the stream (the page's starting state), as text. */
  async function firstEvent(): Promise<string> {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/console/api/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    let text = "";
    while (!text.includes("\n\n", text.indexOf("data:")))
      text += Buffer.from((await reader.read()).value!).toString();
    controller.abort();
    return text;
  }

  it("holds no secret: client and origin secrets, spent codes, tokens, passwords, session cookies", async () => {
    // Act
    const state = await (await get("/console/api/state")).text();
    const stream = await firstEvent();
    const invoked = await (await post("/console/api/invoke", { functionName: FUNCTION, event: {} })).text();
    // Assess
    for (const text of [state, stream, invoked]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/passwordHash|scrypt|\$argon|pbkdf2/i);
    }
    // What a developer needs stays: users, the pending code, the client id, the masked log line.
    const parsed = JSON.parse(state);
    expect(parsed.cognito.users.map((u: { username: string }) => u.username).sort()).toEqual([
      "alice",
      "bob",
    ]);
    expect(parsed.cognito.confirmations.map((c: { code: string }) => c.code)).toEqual([pendingCode]);
    expect(parsed.cognito.sessions).toHaveLength(1);
    expect(parsed.history.logs[0].text).toContain("secret=••••••");
    expect(
      parsed.deployment.parameters.find((p: { name: string }) => p.name === "/furl/client-secret").value,
    ).toBeUndefined();
  });

  it("answers only its own page: other origins, other hosts and non-JSON actions are refused", async () => {
    const confirm = { poolId: cognito.pools[0]!.id, username: "bob" };
    expect(
      (await post("/console/api/cognito/confirm", confirm, { origin: "https://evil.example" })).status,
    ).toBe(403);
    // A DNS-rebound name points at 127.0.0.1 but carries its own Host (fetch cannot set Host: node:http can).
    const rebound = await new Promise<number>((resolve, reject) =>
      request(`${server.url}/console/api/state`, { headers: { host: "evil.example:3005" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on("error", reject)
        .end(),
    );
    expect(rebound).toBe(403);
    const form = await fetch(`${server.url}/console/api/cognito/confirm`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify(confirm),
    });
    expect(form.status).toBe(415);
    expect(cognito.emulator.listUsers().find((u) => u.username === "bob")?.status).toBe("UNCONFIRMED");
  });

  it("runs the Cognito actions as the admin operations, with their errors as clear 4xx answers", async () => {
    const poolId = cognito.pools[0]!.id;
    const own = { origin: server.url };
    expect((await post("/console/api/cognito/confirm", { poolId, username: "bob" }, own)).status).toBe(200);
    expect(cognito.emulator.listUsers().find((u) => u.username === "bob")?.status).toBe("CONFIRMED");
    const again = await post("/console/api/cognito/confirm", { poolId, username: "bob" }, own);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { message: string }).message).toContain("Current status is CONFIRMED");
    expect((await post("/console/api/cognito/disable", { poolId, username: "alice" }, own)).status).toBe(200);
    expect(cognito.emulator.sessions()).toHaveLength(0);
    const weak = await post("/console/api/cognito/set-password", {
      poolId,
      username: "bob",
      password: "short",
    });
    expect(weak.status).toBe(400);
    expect((await post("/console/api/cognito/nope", { poolId })).status).toBe(404);
    expect((await post("/console/api/invoke", { functionName: "Other" })).status).toBe(404);
  });
});
