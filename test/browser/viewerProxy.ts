// A forward HTTP proxy in front of one browser context that stamps its viewer IP as X-Forwarded-For.
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { type AddressInfo, connect } from "node:net";
import type { Duplex } from "node:stream";

/** A running proxy: give `server` to `browser.newContext({ proxy })`. */
export interface ViewerProxy {
  server: string;
  close(): Promise<void>;
}

/**
 * Each browser session is its own viewer without touching what the page sends: the proxy sits in front of
 * the browser, as a corporate proxy would, and the kit (started with --trust-forwarded-for) takes the
 * viewer IP from the header. Unlike request interception (Playwright's `route`), it lets every request
 * through as the browser made it, CORS preflights included: interception answers preflights itself.
 */
export async function startViewerProxy(viewerIp: string): Promise<ViewerProxy> {
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => forward(req, res, viewerIp, agent));
  // Playwright's own API requests (page.request) tunnel through CONNECT: passed on untouched.
  server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => tunnel(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function tunnel(req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const [host, port] = (req.url ?? "").split(":");
  if (!host || !port || !["127.0.0.1", "localhost"].includes(host)) {
    socket.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
    return;
  }
  const upstream = connect(Number(port), host, () => {
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on("error", () => socket.destroy());
  socket.on("error", () => upstream.destroy());
}

function forward(req: IncomingMessage, res: ServerResponse, viewerIp: string, agent: Agent): void {
  let target: URL;
  try {
    // A proxy receives the absolute URL in the request line.
    target = new URL(req.url ?? "");
  } catch {
    res.writeHead(400).end("absolute URL expected");
    return;
  }
  if (target.protocol !== "http:" || !["127.0.0.1", "localhost"].includes(target.hostname)) {
    res.writeHead(502).end("the test proxy only reaches the kit on loopback");
    return;
  }
  const headers: Record<string, string | string[] | undefined> = {
    ...req.headers,
    "x-forwarded-for": viewerIp,
  };
  delete headers["proxy-connection"];
  const upstream = httpRequest(
    {
      hostname: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      method: req.method,
      headers,
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}
