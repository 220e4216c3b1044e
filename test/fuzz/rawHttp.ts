// Sends HTTP/1.1 requests byte for byte over a socket, so tests can send what no HTTP client would: odd
// methods, absolute-form or malformed targets, bad percent-encodings, oversized heads.
import { connect } from "node:net";

export interface RawRequest {
  method: string;
  /** The request target exactly as sent: `/x?y`, `http://[`, `*`, ... */
  target: string;
  headers: [string, string][];
  body?: string | Buffer;
}

export interface RawResponse {
  /** 0 when the server closed the connection without a status line. */
  status: number;
  headers: string;
  body: string;
  /** The whole answer as received, for scanning. */
  raw: string;
}

/** Writes `request` (with Host, Content-Length and Connection: close added unless given) and reads the answer. */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const headers = [...request.headers];
  if (!names.has("host")) headers.unshift(["Host", `127.0.0.1:${port}`]);
  if (!names.has("content-length") && body.length) headers.push(["Content-Length", String(body.length)]);
  if (!names.has("connection")) headers.push(["Connection", "close"]);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    // A server may answer early (413, 400) and reset while the body is still being written.
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks).toString("latin1")));
    });
    // No half-close: Node's server aborts a request whose client sent FIN before the answer was ready.
    // `Connection: close` makes the server close the socket once it has answered.
    socket.write(Buffer.concat([Buffer.from(head, "latin1"), body]));
  });
}

function parse(raw: string): RawResponse {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  const split = raw.indexOf("\r\n\r\n");
  return {
    status: match ? Number(match[1]) : 0,
    headers: split < 0 ? raw : raw.slice(0, split),
    body: split < 0 ? "" : raw.slice(split + 4),
    raw,
  };
}
