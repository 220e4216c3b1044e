// The per-request error boundary of listen(): a throwing handler answers that request and the server goes on.
import { request } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  ClientRequestError,
  decodeUriComponentOrReject,
  type Listening,
  listen,
  requestUrl,
} from "./listen.js";
import { createLogger } from "./log.js";

const servers: Listening[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** Sends a request whose target is sent verbatim (node:http does not re-encode `path`). */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function serve(handler: Parameters<typeof listen>[0]) {
  const lines: string[] = [];
  const server = await listen(handler, 0, "test", {
    log: createLogger("test", { write: (line) => lines.push(line) }),
  });
  servers.push(server);
  return { server, lines };
}

describe("Function: listen (error boundary)", () => {
  it("answers a client fault with its 4xx and a kit fault with a logged 500, then serves the next request", async () => {
    const { server, lines } = await serve((req, res) => {
      const url = requestUrl(req);
      if (url.pathname === "/boom") throw new Error("kit bug");
      decodeUriComponentOrReject(url.pathname);
      res.end("ok");
    });
    expect(await get(server.port, "/%E0%A4%A")).toEqual({
      status: 400,
      body: '{"message":"The request path has an invalid percent-encoding."}',
    });
    expect(await get(server.port, "http://[")).toMatchObject({ status: 400 });
    expect(await get(server.port, "/boom")).toEqual({
      status: 500,
      body: `{"message":"Internal error in the kit's test service."}`,
    });
    expect(await get(server.port, "/fine")).toEqual({ status: 200, body: "ok" });
    expect(lines.some((l) => l.includes("ERROR") && l.includes("kit bug"))).toBe(true);
    expect(lines.filter((l) => l.includes("WARN request refused"))).toHaveLength(2);
  });

  it("catches a rejected promise of an async handler", async () => {
    const { server } = await serve(async (req, res) => {
      await Promise.resolve();
      if (req.url === "/teapot") throw new ClientRequestError(418, "short and stout");
      res.end("ok");
    });
    expect(await get(server.port, "/teapot")).toEqual({ status: 418, body: '{"message":"short and stout"}' });
    expect(await get(server.port, "/")).toEqual({ status: 200, body: "ok" });
  });

  it("answers CONNECT with 405 and can still close afterwards", async () => {
    const { server } = await serve((_req, res) => res.end("ok"));
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1", () =>
        socket.write("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
      );
      let text = "";
      socket.on("data", (chunk) => (text += chunk));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    servers.splice(servers.indexOf(server), 1);
    await server.close();
  });
  it("answers a head it cannot parse, even while the client is still sending a large body", async () => {
    const { server } = await serve((_req, res) => res.end("ok"));
    const body = Buffer.alloc(1024 * 1024 + 1, "x");
    // Closing at once would reset the connection with the body unread, and a reset can drop the answer.
    const answers = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<string>((resolve) => {
            const socket = connect(server.port, "127.0.0.1");
            let text = "";
            socket.on("data", (chunk) => (text += chunk));
            socket.on("error", () => {});
            socket.on("close", () => resolve(text));
            socket.write(`POST L HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`);
            socket.write(body);
          }),
      ),
    );
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(answer).toContain('{"message":"Bad Request: the request could not be parsed as HTTP/1.1."}');
    }
  });
});
