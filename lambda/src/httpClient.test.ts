// The handler's HTTP client against real servers on 127.0.0.1: answers, keep-alive, deadlines and limits.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpRequestError, MAX_RESPONSE_BYTES, send } from "./httpClient.js";

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("send", () => {
  it("posts the body with its length and returns status, headers and body", async () => {
    const url = await serve((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        res.writeHead(201, { "x-echo": req.headers["content-length"] ?? "" }).end(`got ${body}`);
      });
    });
    const response = await send(`${url}/token`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "héllo",
      timeoutMs: 1000,
    });
    expect(response.status).toBe(201);
    expect(response.headers["x-echo"]).toBe("6");
    expect(response.body.toString()).toBe("got héllo");
  });

  it("reuses one connection across calls (keep-alive, as across warm invocations)", async () => {
    const peers = new Set<number>();
    const url = await serve((req, res) => {
      peers.add(req.socket.remotePort ?? 0);
      res.end("ok");
    });
    for (let i = 0; i < 3; i++) await send(url, { method: "GET", headers: {}, timeoutMs: 1000 });
    expect(peers.size).toBe(1);
  });

  it("gives up at the deadline with a TimeoutError", async () => {
    const url = await serve(() => {}); // never answers
    await expect(send(url, { method: "GET", headers: {}, timeoutMs: 50 })).rejects.toMatchObject({
      name: "TimeoutError",
    });
  });

  it("refuses a body over the limit", async () => {
    const url = await serve((_req, res) => res.end(Buffer.alloc(MAX_RESPONSE_BYTES + 1)));
    await expect(send(url, { method: "GET", headers: {}, timeoutMs: 2000 })).rejects.toMatchObject({
      name: "ResponseTooLargeError",
    });
  });

  it("names a refused connection and an unsupported scheme", async () => {
    const url = await serve((_req, res) => res.end());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    await expect(send(url, { method: "GET", headers: {}, timeoutMs: 1000 })).rejects.toBeInstanceOf(
      HttpRequestError,
    );
    await expect(
      send("ftp://127.0.0.1/", { method: "GET", headers: {}, timeoutMs: 1000 }),
    ).rejects.toMatchObject({
      name: "UnsupportedProtocolError",
    });
  });
});
