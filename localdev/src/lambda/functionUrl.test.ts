// The Function URL over real HTTP: the 2.0 event field by field, response mapping, errors, CORS and limits.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testFunctionConfig } from "../../../test/support/lambda/functionConfig.js";
import { NotEmulatedError } from "../shared/awsError.js";
import { ManualClock } from "../shared/clock.js";
import { type Listening, listen } from "../shared/listen.js";
import { createFunctionUrl } from "./functionUrl.js";
import { createFunctionRuntime, type FunctionRuntime } from "./runtime.js";
import { type FunctionUrlConfig, functionUrlConfigFromTemplate } from "./urlConfig.js";
import type { FunctionUrlEvent } from "./urlEvent.js";

const HANDLER = `
export const handler = async (event) => {
  switch (event.rawPath) {
    case "/inferred-object": return { hello: "world" };
    case "/inferred-string": return "Hello, world!";
    case "/structured":
      return { statusCode: 201, headers: { "x-custom": "yes" }, cookies: ["a=1; Path=/", "b=2"], body: "created" };
    case "/binary":
      return { statusCode: 200, headers: { "content-type": "image/png" }, body: "AQID", isBase64Encoded: true };
    case "/throw": throw new Error("secret detail from the handler");
    case "/bad-status": return { statusCode: "not a number", body: "x" };
    case "/handler-cors":
      return { statusCode: 200, headers: { "Access-Control-Allow-Origin": "https://site.example" }, body: "" };
    default: return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(event) };
  }
};
`;

const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
const codeDir = mkdtempSync(join(tmpdir(), "furl-lambda-url-"));
let runtime: FunctionRuntime;
const servers: Listening[] = [];

async function startUrl(
  overrides: Partial<FunctionUrlConfig> = {},
  fnRuntime?: FunctionRuntime,
): Promise<Listening> {
  let port = 0;
  const config: FunctionUrlConfig = {
    urlId: "abcdefghijklmnopqrstuvwxyz012345",
    region: "us-east-1",
    authType: "NONE",
    acceptedHosts: () => [`127.0.0.1:${port}`, `localhost:${port}`],
    ...overrides,
  };
  const { handler } = createFunctionUrl(config, fnRuntime ?? runtime, { clock });
  const server = await listen(handler, 0, "function-url");
  port = server.port;
  servers.push(server);
  return server;
}

let plain: Listening;
let withCors: Listening;

beforeAll(async () => {
  writeFileSync(join(codeDir, "index.mjs"), HANDLER);
  runtime = createFunctionRuntime({
    name: "UrlFn",
    codeDir,
    handler: "index.handler",
    runtime: "nodejs22.x",
    environment: {},
    timeoutSeconds: 5,
    memorySizeMb: 128,
  });
  plain = await startUrl();
  withCors = await startUrl({
    cors: {
      AllowOrigins: ["https://site.example"],
      AllowMethods: ["POST", "GET"],
      AllowHeaders: ["content-type", "x-origin-verify"],
      ExposeHeaders: ["x-amzn-requestid"],
      MaxAge: 300,
    },
  });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await runtime.close();
  rmSync(codeDir, { recursive: true, force: true });
});

async function echo(path: string, init?: RequestInit): Promise<{ event: FunctionUrlEvent; res: Response }> {
  const res = await fetch(`${plain.url}${path}`, init);
  expect(res.status).toBe(200);
  return { event: (await res.json()) as FunctionUrlEvent, res };
}

/** node:http, for what fetch refuses: a custom Host, repeated header lines, huge bodies. */
function rawRequest(
  server: Listening,
  options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: options.method ?? "GET",
        path: options.path ?? "/",
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    // The server may close while a too-large body is still being written; the answer has arrived by then.
    req.on("error", (error) => (options.body ? undefined : reject(error)));
    req.end(options.body);
  });
}

describe("Request event (payload format 2.0)", () => {
  it("carries every field of a POST with query, cookies, headers and a JSON body", async () => {
    const { event, res } = await echo("/echo/path?b=2&a=1&a=x%20y", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: "c1=v1; c2=v2",
        "user-agent": "furl-test/1.0",
        "X-Custom": "one",
      },
      body: JSON.stringify({ code: "abc" }),
    });
    expect(event.version).toBe("2.0");
    expect(event.routeKey).toBe("$default");
    expect(event.rawPath).toBe("/echo/path");
    expect(event.rawQueryString).toBe("b=2&a=1&a=x%20y");
    expect(event.queryStringParameters).toEqual({ b: "2", a: "1,x y" });
    expect(event.cookies).toEqual(["c1=v1", "c2=v2"]);
    expect(event.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "furl-test/1.0",
      "x-custom": "one",
      host: `127.0.0.1:${plain.port}`,
      "x-forwarded-for": "127.0.0.1",
      "x-forwarded-proto": "http",
      "x-forwarded-port": String(plain.port),
    });
    expect(event.headers["x-amzn-trace-id"]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(Object.keys(event.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(event.requestContext).toEqual({
      accountId: "anonymous",
      apiId: "abcdefghijklmnopqrstuvwxyz012345",
      domainName: "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws",
      domainPrefix: "abcdefghijklmnopqrstuvwxyz012345",
      http: {
        method: "POST",
        path: "/echo/path",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "furl-test/1.0",
      },
      requestId: res.headers.get("x-amzn-requestid"),
      routeKey: "$default",
      stage: "$default",
      time: "01/Jan/2026:12:00:00 +0000",
      timeEpoch: Date.UTC(2026, 0, 1, 12, 0, 0),
    });
    expect(event.body).toBe('{"code":"abc"}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it("omits cookies, query parameters and body when the request has none", async () => {
    const { event } = await echo("/plain");
    expect(event.rawQueryString).toBe("");
    expect(event).not.toHaveProperty("cookies");
    expect(event).not.toHaveProperty("queryStringParameters");
    expect(event).not.toHaveProperty("body");
    expect(event.isBase64Encoded).toBe(false);
  });

  it("base64-encodes binary and form bodies, keeps text types as text", async () => {
    const binary = await echo("/b", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([0, 255, 1]),
    });
    expect(binary.event).toMatchObject({ body: "AP8B", isBase64Encoded: true });
    const form = await echo("/f", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(form.event).toMatchObject({ body: Buffer.from("a=1").toString("base64"), isBase64Encoded: true });
    const text = await echo("/t", {
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: "hé",
    });
    expect(text.event).toMatchObject({ body: "hé", isBase64Encoded: false });
  });

  it("appends the peer to an existing X-Forwarded-For", async () => {
    const { event } = await echo("/xff", { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(event.headers["x-forwarded-for"]).toBe("203.0.113.7, 127.0.0.1");
  });

  it("joins repeated header lines with a comma", async () => {
    const res = await rawRequest(plain, {
      path: "/dup",
      headers: { host: `127.0.0.1:${plain.port}`, "x-dup": ["first", "second"] },
    });
    expect((JSON.parse(res.body) as FunctionUrlEvent).headers["x-dup"]).toBe("first,second");
  });
});

describe("Response mapping", () => {
  it("infers 200 application/json from a value without statusCode", async () => {
    const res = await fetch(`${plain.url}/inferred-object`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.text()).toBe('{"hello":"world"}');
  });

  it("sends a returned string as JSON, quotes included", async () => {
    expect(await (await fetch(`${plain.url}/inferred-string`)).text()).toBe('"Hello, world!"');
  });

  it("maps a structured response: status, headers, one Set-Cookie per cookie, default content type", async () => {
    const res = await fetch(`${plain.url}/structured`);
    expect(res.status).toBe(201);
    expect(res.headers.get("x-custom")).toBe("yes");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2"]);
    expect(await res.text()).toBe("created");
  });

  it("decodes a base64 body to bytes", async () => {
    const res = await fetch(`${plain.url}/binary`);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it("answers 502 Internal Server Error when the handler throws, without the error detail", async () => {
    const res = await fetch(`${plain.url}/throw`);
    expect(res.status).toBe(502);
    expect(res.headers.get("x-amzn-errortype")).toBeTruthy();
    const body = await res.text();
    expect(body).toBe("Internal Server Error");
    expect(body).not.toContain("secret detail");
  });

  it("answers 502 for a malformed structured response", async () => {
    expect((await fetch(`${plain.url}/bad-status`)).status).toBe(502);
  });

  it("answers 429 TooManyRequestsException when the function is throttled", async () => {
    const throttled = createFunctionRuntime(
      testFunctionConfig(codeDir, { name: "Throttled", maxConcurrency: 0 }),
    );
    const server = await startUrl({}, throttled);
    const res = await fetch(`${server.url}/x`);
    expect(res.status).toBe(429);
    expect(res.headers.get("x-amzn-errortype")).toBe("TooManyRequestsException");
    await throttled.close();
  });
});

describe("CORS", () => {
  it("answers a preflight from the config without invoking the function", async () => {
    const before = runtime.recentInvocations().length;
    const res = await fetch(`${withCors.url}/anything`, {
      method: "OPTIONS",
      headers: { origin: "https://site.example", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://site.example");
    expect(res.headers.get("access-control-allow-methods")).toBe("POST,GET");
    expect(res.headers.get("access-control-allow-headers")).toBe("content-type,x-origin-verify");
    expect(res.headers.get("access-control-max-age")).toBe("300");
    expect(runtime.recentInvocations().length).toBe(before);
  });

  it("gives no CORS headers to an origin that is not allowed", async () => {
    const res = await fetch(`${withCors.url}/anything`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("passes OPTIONS to the function when the URL has no CORS config", async () => {
    const before = runtime.recentInvocations().length;
    const { event } = await echo("/opt", { method: "OPTIONS", headers: { origin: "https://site.example" } });
    expect(event.requestContext.http.method).toBe("OPTIONS");
    expect(runtime.recentInvocations().length).toBe(before + 1);
  });

  it("appends the configured headers to the handler's own, without deduplicating", async () => {
    const res = await fetch(`${withCors.url}/handler-cors`, { headers: { origin: "https://site.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://site.example, https://site.example");
    expect(res.headers.get("access-control-expose-headers")).toBe("x-amzn-requestid");
  });
});

describe('CORS that allows every origin (AllowOrigins: ["*"])', () => {
  let open: Listening;
  beforeAll(async () => {
    open = await startUrl({
      cors: { AllowOrigins: ["*"], AllowMethods: ["*"], AllowHeaders: ["content-type"], MaxAge: 0 },
    });
  });

  it("answers any origin's preflight with a literal *, without invoking the function", async () => {
    const before = runtime.recentInvocations().length;
    for (const origin of ["https://site.example", "http://localhost:5173", "null"]) {
      const res = await fetch(`${open.url}/api`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "DELETE" },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-methods")).toBe("*");
      expect(res.headers.get("access-control-allow-headers")).toBe("content-type");
      expect(res.headers.get("access-control-max-age")).toBe("0");
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
    expect(runtime.recentInvocations().length).toBe(before);
  });

  it("adds * to an answer for a request with an Origin, nothing to one without", async () => {
    const withOrigin = await fetch(`${open.url}/plain`, { headers: { origin: "https://any.example" } });
    expect(withOrigin.status).toBe(200);
    expect(withOrigin.headers.get("access-control-allow-origin")).toBe("*");
    const without = await fetch(`${open.url}/plain`);
    expect(without.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("appends * next to the handler's own Allow-Origin, as observed on AWS", async () => {
    const res = await fetch(`${open.url}/handler-cors`, { headers: { origin: "https://other.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://site.example, *");
  });

  it("refuses at start-up what Lambda's API refuses", () => {
    const start = (cors: Record<string, unknown>) => () =>
      createFunctionUrl(
        { urlId: "u", region: "us-east-1", authType: "NONE", acceptedHosts: () => [], cors },
        runtime,
        { clock },
      );
    expect(start({ AllowOrigins: ["*"], AllowMethods: ["OPTIONS"] })).toThrow(
      /Cors.AllowMethods item "OPTIONS" must be 1-6 characters/,
    );
    expect(start({ AllowOrigins: ["*"], MaxAge: 86_401 })).toThrow(/MaxAge must be .* 0 to 86400/);
    expect(start({ AllowOrigins: Array(101).fill("https://a.example") })).toThrow(/at most 100 items/);
    expect(start({ AllowOrigins: "*" })).toThrow(/must be a list of strings/);
  });
});

describe("Limits and access", () => {
  it("answers 413 for a body over 6 MB without invoking", async () => {
    const before = runtime.recentInvocations().length;
    const res = await rawRequest(plain, {
      method: "POST",
      path: "/big",
      headers: { host: `127.0.0.1:${plain.port}`, "content-type": "application/octet-stream" },
      body: Buffer.alloc(6_291_457),
    });
    expect(res.status).toBe(413);
    expect(res.headers["x-amzn-errortype"]).toBe("RequestEntityTooLargeException");
    expect(JSON.parse(res.body).Message).toMatch(/smaller than 6291456 bytes/);
    expect(runtime.recentInvocations().length).toBe(before);
  });

  it("answers 403 AccessDeniedException when the Host is not the URL's", async () => {
    const res = await rawRequest(plain, { path: "/", headers: { host: "evil.example" } });
    expect(res.status).toBe(403);
    expect(res.headers["x-amzn-errortype"]).toBe("AccessDeniedException");
    expect(JSON.parse(res.body)).toEqual({ Message: null });
  });

  it("accepts localhost:<port> as well", async () => {
    const res = await rawRequest(plain, {
      path: "/inferred-object",
      headers: { host: `localhost:${plain.port}` },
    });
    expect(res.status).toBe(200);
  });

  it("refuses AWS_IAM auth with a NotEmulated answer instead of pretending", async () => {
    const server = await startUrl({ authType: "AWS_IAM" });
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("FurlKit#NotEmulated");
    expect(((await res.json()) as { Message: string }).Message).toMatch(/not emulated/);
  });
});

describe("Function: functionUrlConfigFromTemplate", () => {
  const hosts = () => ["127.0.0.1:1"];

  it("reads auth type and CORS", () => {
    const config = functionUrlConfigFromTemplate({
      urlId: "u1",
      region: "us-east-1",
      properties: {
        AuthType: "NONE",
        TargetFunctionArn: "arn:x",
        Cors: { AllowOrigins: ["https://a.example"] },
      },
      acceptedHosts: hosts,
    });
    expect(config).toMatchObject({
      urlId: "u1",
      authType: "NONE",
      cors: { AllowOrigins: ["https://a.example"] },
    });
  });

  it("fails loudly on response streaming and unknown auth types", () => {
    const base = { urlId: "u1", region: "us-east-1", acceptedHosts: hosts };
    expect(() =>
      functionUrlConfigFromTemplate({
        ...base,
        properties: { AuthType: "NONE", InvokeMode: "RESPONSE_STREAM" },
      }),
    ).toThrow(NotEmulatedError);
    expect(() => functionUrlConfigFromTemplate({ ...base, properties: { AuthType: "OPEN" } })).toThrow(
      /AuthType/,
    );
  });
});
