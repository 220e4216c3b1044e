// The LocalStack stub answers as LocalStack 4.14's gateway does on the points the kit depends on.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StubLocalStack, startStubLocalStack } from "./stubLocalStack.js";

const URL_ID = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
const HOST = `${URL_ID}.lambda-url.us-east-1.localhost:4566`;
const SITE = "http://localhost:3000";
let stub: StubLocalStack;

beforeAll(async () => {
  stub = await startStubLocalStack({
    urlId: URL_ID,
    allowedOrigins: [SITE],
    invoke: () => ({ statusCode: 200, body: '{"ok":true}' }),
  });
});
afterAll(() => stub.close());

interface Answer {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** node:http, since fetch does not let a caller set Host (LocalStack routes Function URLs on it). */
function send(method: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${stub.listening.url}/`, { method, headers: { ...headers, host: HOST } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: { get: (name) => (res.headers[name] as string | undefined) ?? null },
          text: async () => Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end(method === "POST" ? "{}" : undefined);
  });
}

describe("stub LocalStack", () => {
  it("answers a preflight itself with 204 and CORS headers, without invoking the function", async () => {
    const before = stub.events.length;
    const answer = await send("OPTIONS", { origin: SITE, "access-control-request-method": "POST" });
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(answer.headers.get("access-control-allow-credentials")).toBe("true");
    expect(answer.headers.get("access-control-allow-methods")).toContain("POST");
    expect(stub.events).toHaveLength(before);
  });

  it("refuses an origin outside its allow-list with an empty 403, before the function", async () => {
    const before = stub.events.length;
    const answer = await send("POST", { origin: "http://127.0.0.1:3000" });
    expect(answer.status).toBe(403);
    expect(await answer.text()).toBe("");
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(stub.events).toHaveLength(before);
  });

  it("adds Access-Control-Allow-Origin and Access-Control-Allow-Credentials: true to the function's answer", async () => {
    const answer = await send("POST", { origin: SITE });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(answer.headers.get("access-control-allow-credentials")).toBe("true");
    expect(answer.headers.get("vary")).toBe("Origin");
  });

  it("routes the Host shape a Testcontainers LocalStack prints (LOCALSTACK_HOST=localhost) to the function", async () => {
    const before = stub.events.length;
    const answer = await send("POST", {});
    expect(answer.status).toBe(200);
    expect(stub.events).toHaveLength(before + 1);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
  });
});
