// Behaviour of the Function URL handler against fake SSM, Cognito token endpoint and JWKS (msw).
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  codeEvent,
  defaultParameters,
  FakeAws,
  functionUrlEvent,
  ORIGIN_SECRET,
  PREFIX,
  SSM_ENDPOINT,
} from "../../test/support/handler.js";
import { createSsmClient } from "./config.js";
import { createHandler, type FunctionUrlHandler, type HandlerOptions } from "./handler.js";

const fake = await FakeAws.create();
const server = setupServer(...fake.handlers());
let logLines: string[] = [];

function makeHandler(options: HandlerOptions = {}): FunctionUrlHandler {
  return createHandler({
    ssmClient: createSsmClient({ maxAttempts: 1 }),
    env: { CONFIG_PARAMETER_PREFIX: PREFIX },
    writeLog: (line) => logLines.push(line),
    ...options,
  });
}

function bodyOf(result: { body: string }): { message: string; username?: string } {
  return JSON.parse(result.body);
}

function lastLog(): Record<string, unknown> {
  return JSON.parse(logLines.at(-1) ?? "{}");
}

beforeAll(() => {
  vi.stubEnv("AWS_ENDPOINT_URL_SSM", SSM_ENDPOINT);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "fake-secret-access-key");
  server.listen({ onUnhandledFrame: "error" });
});
afterAll(() => {
  server.close();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  logLines = [];
  fake.parameters = defaultParameters();
});
afterEach(() => {
  fake.ssmMode = "ok";
  fake.tokenMode = "ok";
  fake.jwksMode = "ok";
  fake.ssmCalls = 0;
  fake.tokenCalls = 0;
  fake.jwksCalls = 0;
});

describe("Function: handler (success)", () => {
  it("answers 200 with the username for a valid code", async () => {
    const handler = makeHandler();
    const result = await handler(codeEvent(await fake.issueCode()));

    expect(result.statusCode).toBe(200);
    expect(result.headers["content-type"]).toBe("application/json");
    expect(bodyOf(result)).toEqual({
      message: "You are authenticated as alice. Lambda execution was successful.",
      username: "alice",
    });
    expect(lastLog()).toMatchObject({ level: "info", status: 200, reason: "authenticated", coldStart: true });
  });

  it("accepts the original sample's cognitoCode field", async () => {
    const handler = makeHandler();
    const result = await handler(
      functionUrlEvent({ body: JSON.stringify({ cognitoCode: await fake.issueCode() }) }),
    );

    expect(result.statusCode).toBe(200);
  });

  it("decodes a base64 body", async () => {
    const handler = makeHandler();
    const body = Buffer.from(JSON.stringify({ code: await fake.issueCode() })).toString("base64");
    const result = await handler(functionUrlEvent({ body, isBase64Encoded: true }));

    expect(result.statusCode).toBe(200);
  });

  it("loads config once and fetches the JWKS once across warm invocations", async () => {
    const handler = makeHandler();
    const first = await handler(codeEvent(await fake.issueCode()));
    const second = await handler(codeEvent(await fake.issueCode()));

    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(fake.ssmCalls).toBe(1);
    expect(fake.jwksCalls).toBe(1);
    expect(JSON.parse(logLines[1] ?? "{}")).toMatchObject({ coldStart: false });
  });
});

describe("Function: handler (not authorized)", () => {
  it.each([
    ["no body", undefined],
    ["empty body", ""],
    ["empty object", "{}"],
    ["null code", '{"code":null}'],
  ])("answers 401 to a guest (%s) without calling Cognito", async (_label, body) => {
    const handler = makeHandler();
    const result = await handler(functionUrlEvent({ body }));

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).message).toBe("Not authorized: no sign-in code (guest)");
    expect(fake.tokenCalls).toBe(0);
  });

  it("answers 401 to an unknown code", async () => {
    const result = await makeHandler()(codeEvent("00000000-0000-0000-0000-000000000000"));

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).message).toBe(
      "Not authorized: the sign-in code is invalid, expired or already used",
    );
    expect(lastLog()).toMatchObject({ status: 401, reason: "invalid_grant" });
  });

  it("answers 401 when a code is reused", async () => {
    const handler = makeHandler();
    const code = await fake.issueCode();
    const first = await handler(codeEvent(code));
    const second = await handler(codeEvent(code));

    expect([first.statusCode, second.statusCode]).toEqual([200, 401]);
  });

  it.each([
    ["signed by another key with an unknown kid", () => fake.accessToken({}, "other")],
    ["signed by another key under the real kid", () => fake.accessToken({}, "otherSameKid")],
    ["issued for another client", () => fake.accessToken({ client_id: "someotherclientid123456789" })],
    ["an id token instead of an access token", () => fake.accessToken({ token_use: "id", aud: CLIENT_ID })],
    [
      "from another issuer",
      () => fake.accessToken({ iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1" }),
    ],
  ])("answers 401 to a token %s", async (_label, makeToken) => {
    const result = await makeHandler()(codeEvent(await fake.issueCode(await makeToken())));

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).message).toBe("Not authorized: the access token failed verification");
  });

  it("answers 401 to an expired token", async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    const token = await fake.accessToken({ iat: past, auth_time: past, exp: past + 3600 });
    const result = await makeHandler()(codeEvent(await fake.issueCode(token)));

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).message).toBe("Not authorized: the access token has expired");
  });
});

describe("Function: handler (bad requests)", () => {
  it.each([
    ["not JSON", "code=abc", "Bad request: the body must be JSON"],
    ["a JSON array", '["abc"]', "Bad request: the body must be a JSON object"],
    ["a number code", '{"code":42}', 'Bad request: "code" must be a string.'],
    ["an object code", '{"code":{"a":1}}', 'Bad request: "code" must be a string.'],
    [
      "a too long code",
      JSON.stringify({ code: "a".repeat(2049) }),
      'Bad request: "code" must be at most 2048',
    ],
    [
      "an oversized body",
      JSON.stringify({ code: "abc", pad: "x".repeat(17 * 1024) }),
      "Bad request: the body must be at most",
    ],
  ])("answers 400 to %s", async (_label, body, message) => {
    const result = await makeHandler()(functionUrlEvent({ body }));

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).message).toContain(message);
    expect(fake.tokenCalls).toBe(0);
  });

  it("answers 400 to an oversized base64 body", async () => {
    const body = Buffer.from("x".repeat(20 * 1024)).toString("base64");
    const result = await makeHandler()(functionUrlEvent({ body, isBase64Encoded: true }));

    expect(result.statusCode).toBe(400);
  });

  it.each(["GET", "PUT", "DELETE", "OPTIONS"])("answers 405 with Allow: POST to %s", async (method) => {
    const result = await makeHandler()(functionUrlEvent({ method }));

    expect(result.statusCode).toBe(405);
    expect(result.headers.allow).toBe("POST");
    expect(bodyOf(result).message).toBe("Method not allowed: use POST.");
  });

  it("answers a CORS preflight forwarded by CloudFront with 204 and no body, without calling Cognito", async () => {
    const event = functionUrlEvent({
      method: "OPTIONS",
      headers: { "access-control-request-method": "POST" },
    });
    const result = await makeHandler()(event);

    expect(result.statusCode).toBe(204);
    expect(result.body).toBe("");
    expect(fake.tokenCalls).toBe(0);
  });

  it("still refuses a preflight that did not come through CloudFront", async () => {
    const event = functionUrlEvent({
      method: "OPTIONS",
      headers: { "access-control-request-method": "POST" },
    });
    delete event.headers["x-origin-verify"];

    expect((await makeHandler()(event)).statusCode).toBe(403);
  });
});

describe("Function: handler (origin check)", () => {
  it.each([
    ["missing", {}],
    ["wrong", { "x-origin-verify": "guess" }],
    ["a prefix of the secret", { "x-origin-verify": ORIGIN_SECRET.slice(0, -1) }],
  ])("answers 403 when x-origin-verify is %s, before looking at method or body", async (_label, headers) => {
    const event = functionUrlEvent({ method: "GET", body: "not json", headers });
    if (!("x-origin-verify" in headers)) delete event.headers["x-origin-verify"];
    const result = await makeHandler()(event);

    expect(result.statusCode).toBe(403);
    expect(bodyOf(result)).toEqual({
      message: "Forbidden: requests must come through the CloudFront distribution.",
    });
    expect(lastLog()).toMatchObject({ level: "warn", status: 403 });
  });
});

describe("Function: handler (dependency failures)", () => {
  it("answers 503 when SSM fails, and retries SSM on the next call", async () => {
    const handler = makeHandler();
    fake.ssmMode = "accessDenied";
    const failed = await handler(codeEvent(await fake.issueCode()));
    fake.ssmMode = "ok";
    const retried = await handler(codeEvent(await fake.issueCode()));

    expect(failed.statusCode).toBe(503);
    expect(bodyOf(failed).message).toBe(
      "Service unavailable: could not load the configuration from SSM Parameter Store.",
    );
    expect(retried.statusCode).toBe(200);
    expect(fake.ssmCalls).toBe(2);
  });

  it("answers 503 when SSM is unreachable", async () => {
    fake.ssmMode = "down";
    const result = await makeHandler()(functionUrlEvent());

    expect(result.statusCode).toBe(503);
  });

  it("answers 503 when SSM hangs past the timeout", async () => {
    fake.ssmMode = "hang";
    const handler = makeHandler({
      ssmClient: createSsmClient({ maxAttempts: 1, requestTimeoutMs: 5000 }),
      timeouts: { ssmMs: 100 },
    });
    const result = await handler(functionUrlEvent());

    expect(result.statusCode).toBe(503);
    expect(lastLog()).toMatchObject({ level: "error", status: 503 });
  });

  it("answers 503 naming missing parameters, never values, and retries next time", async () => {
    const handler = makeHandler();
    const { "client-secret": _, ...withoutSecret } = fake.parameters;
    const complete = fake.parameters;
    fake.parameters = withoutSecret;
    const failed = await handler(functionUrlEvent());
    fake.parameters = complete;
    const retried = await handler(codeEvent(await fake.issueCode()));

    expect(failed.statusCode).toBe(503);
    expect(bodyOf(failed).message).toBe(
      "Service unavailable: missing configuration parameters: /furl-kit/FurlKit/client-secret.",
    );
    expect(retried.statusCode).toBe(200);
    expect(fake.ssmCalls).toBe(2);
  });

  it("answers 503 when a parameter is malformed", async () => {
    fake.parameters = { ...fake.parameters, "user-pool-id": "not-a-pool" };
    const result = await makeHandler()(functionUrlEvent());

    expect(result.statusCode).toBe(503);
    expect(bodyOf(result).message).toContain("/furl-kit/FurlKit/user-pool-id");
    expect(result.body).not.toContain("not-a-pool");
  });

  it("answers 503 when CONFIG_PARAMETER_PREFIX is unset", async () => {
    const result = await makeHandler({ env: {} })(functionUrlEvent());

    expect(result.statusCode).toBe(503);
    expect(bodyOf(result).message).toContain("CONFIG_PARAMETER_PREFIX");
    expect(fake.ssmCalls).toBe(0);
  });

  it.each([
    ["is down", "down"],
    ["answers 500", "error500"],
  ] as const)("answers 502 when the token endpoint %s", async (_label, mode) => {
    fake.tokenMode = mode;
    const result = await makeHandler()(codeEvent(await fake.issueCode()));

    expect(result.statusCode).toBe(502);
    expect(bodyOf(result).message).toMatch(/^Could not reach the sign-in service/);
  });

  it("answers 502 when the token endpoint hangs past the timeout", async () => {
    fake.tokenMode = "hang";
    const result = await makeHandler({ timeouts: { tokenMs: 100 } })(codeEvent(await fake.issueCode()));

    expect(result.statusCode).toBe(502);
    expect(bodyOf(result).message).toBe("Could not reach the sign-in service: it did not answer in time.");
  });

  it("answers 502 about client credentials when Cognito says invalid_client", async () => {
    fake.parameters = { ...fake.parameters, "client-secret": "wrong-secret-value-123456" };
    const result = await makeHandler()(codeEvent(await fake.issueCode()));

    expect(result.statusCode).toBe(502);
    expect(bodyOf(result).message).toContain("client credentials");
    expect(result.body).not.toContain("wrong-secret-value-123456");
  });

  it.each([
    ["is down", "down"],
    ["answers 500", "error500"],
    ["answers garbage", "garbage"],
    ["hangs past the timeout", "hang"],
  ] as const)("answers 502 when the JWKS %s", async (_label, mode) => {
    fake.jwksMode = mode;
    const result = await makeHandler({ timeouts: { jwksMs: 100 } })(codeEvent(await fake.issueCode()));

    expect(result.statusCode).toBe(502);
    expect(bodyOf(result).message).toMatch(/^Could not reach the sign-in service/);
  });
});

describe("Function: handler (no leaks)", () => {
  it("never writes a secret, code or token to stdout, stderr, console or a response", async () => {
    const captured: string[] = [];
    const record = (...args: unknown[]) => {
      captured.push(args.map(String).join(" "));
      return true;
    };
    const spies = [
      vi.spyOn(console, "log").mockImplementation(record),
      vi.spyOn(console, "info").mockImplementation(record),
      vi.spyOn(console, "warn").mockImplementation(record),
      vi.spyOn(console, "error").mockImplementation(record),
      vi.spyOn(console, "debug").mockImplementation(record),
      vi.spyOn(process.stdout, "write").mockImplementation(record),
      vi.spyOn(process.stderr, "write").mockImplementation(record),
    ];
    const bodies: string[] = [];
    try {
      // The default log writer (console.log), as in production.
      const handler = createHandler({
        ssmClient: createSsmClient({ maxAttempts: 1 }),
        env: { CONFIG_PARAMETER_PREFIX: PREFIX },
        timeouts: { tokenMs: 100, jwksMs: 100 },
      });
      const run = async (event: Parameters<FunctionUrlHandler>[0]) =>
        bodies.push((await handler(event)).body);
      const reused = await fake.issueCode();
      await run(codeEvent(reused));
      await run(codeEvent(reused));
      await run(functionUrlEvent());
      await run(functionUrlEvent({ body: `{"code": ${JSON.stringify(await fake.issueCode())}` }));
      await run(functionUrlEvent({ body: JSON.stringify({ code: 7, secret: CLIENT_SECRET }) }));
      await run(functionUrlEvent({ method: "GET" }));
      await run(functionUrlEvent({ headers: { "x-origin-verify": `${ORIGIN_SECRET}x` } }));
      await run(codeEvent(await fake.issueCode(await fake.accessToken({}, "other"))));
      await run(codeEvent(await fake.issueCode(await fake.accessToken({ exp: 1 }))));
      await run(codeEvent(await fake.issueCode(await fake.accessToken({ client_id: "someoneelse123" }))));
      fake.tokenMode = "hang";
      await run(codeEvent(await fake.issueCode()));
      fake.tokenMode = "invalidClient";
      await run(codeEvent(await fake.issueCode()));
      fake.tokenMode = "ok";
      fake.jwksMode = "down";
      const fresh = createHandler({
        ssmClient: createSsmClient({ maxAttempts: 1 }),
        env: { CONFIG_PARAMETER_PREFIX: PREFIX },
      });
      bodies.push((await fresh(codeEvent(await fake.issueCode()))).body);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    const output = [...captured, ...bodies].join("\n");
    expect(captured.length).toBeGreaterThanOrEqual(13);
    for (const secret of [CLIENT_SECRET, ORIGIN_SECRET, ...fake.issued]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toContain("eyJ");
    expect(output).not.toMatch(/\n\s+at /); // no stack traces
  });
});
