// readBody over real HTTP: whole bodies, the limit, a declared length answered unread, discard vs pause.
import { once } from "node:events";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type Listening, listen } from "./listen.js";
import { type ReadBodyOptions, readBody } from "./readBody.js";

const servers: Listening[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A server answering `<size>` of the body read, or `too-large`, plus `drained` once the rest was read on. */
async function serve(options: ReadBodyOptions): Promise<number> {
  const server = await listen(
    async (req, res) => {
      const body = await readBody(req, options);
      let answer = body === "too-large" ? "too-large" : String(body.length);
      if (body === "too-large" && options.overflow === "discard") {
        if (!req.readableEnded) await once(req, "end");
        answer += " drained";
      }
      res.writeHead(body === "too-large" ? 413 : 200, { connection: "close" }).end(answer);
    },
    0,
    "test",
  );
  servers.push(server);
  return Number(new URL(server.url).port);
}

/** Sends `chunks` (chunked unless `declared` is given); `end: false` leaves the body unfinished. */
function send(
  port: number,
  chunks: Buffer[],
  { declared, end = true }: { declared?: number; end?: boolean } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/",
        headers: declared === undefined ? {} : { "content-length": declared },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      },
    );
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    if (end) req.end();
  });
}

const bytes = (n: number, fill = 97) => Buffer.alloc(n, fill);

describe("readBody", () => {
  it("returns the whole body, however it was split, up to and at the limit", async () => {
    const port = await serve({ limit: 100, overflow: "pause" });
    expect(await send(port, [bytes(30), bytes(40), bytes(30)])).toEqual({ status: 200, body: "100" });
    expect(await send(port, [])).toEqual({ status: 200, body: "0" });
  });

  it("says too-large one byte over the limit, for a chunked body too", async () => {
    const port = await serve({ limit: 100, overflow: "pause" });
    expect(await send(port, [bytes(60), bytes(41)])).toEqual({ status: 413, body: "too-large" });
  });

  it("answers a declared Content-Length over the limit before the body is sent", async () => {
    const port = await serve({ limit: 100, trustDeclaredLength: true, overflow: "pause" });
    // Ten of the declared 1,000 bytes and no end: only an answer that reads nothing can arrive.
    expect(await send(port, [bytes(10)], { declared: 1000, end: false })).toEqual({
      status: 413,
      body: "too-large",
    });
  });

  it("without trusting the declared length, reads up to the limit and then decides", async () => {
    const port = await serve({ limit: 100, overflow: "pause" });
    expect(await send(port, [bytes(101)], { declared: 101 })).toEqual({ status: 413, body: "too-large" });
    expect(await send(port, [bytes(100)], { declared: 100 })).toEqual({ status: 200, body: "100" });
  });

  it("with overflow discard, reads the rest of an oversized body on to its end", async () => {
    const port = await serve({ limit: 100, overflow: "discard" });
    expect(await send(port, [bytes(60), bytes(60), bytes(5000)])).toEqual({
      status: 413,
      body: "too-large drained",
    });
  });
});
