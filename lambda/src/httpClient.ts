// Small HTTP(S) client for the token endpoint and the JWKS: node:http(s) with one keep-alive agent per scheme,
// reused across warm invocations, as the AWS SDK does. fetch (undici) costs several times the CPU per call
// in a fresh Lambda isolate, which a warm function pays on every sign-in.
// Default imports: `request` is looked up on the module at call time, so interceptors (msw in tests) apply.
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";

/** Largest response body read (a token response or a JWKS is a few KB). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What failed: `TimeoutError` past the deadline, `ResponseTooLargeError`, else the socket's error name. */
export class HttpRequestError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Sends one request and reads the whole answer within `timeoutMs` (connection, request and body together).
 * @throws {@link HttpRequestError} on timeout, network failure or a body over {@link MAX_RESPONSE_BYTES}.
 */
export function send(
  url: string,
  options: { method: "GET" | "POST"; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpResponse> {
  const target = new URL(url);
  const protocol = target.protocol as keyof typeof agents;
  if (!(protocol in agents)) {
    return Promise.reject(
      new HttpRequestError("UnsupportedProtocolError", `unsupported URL scheme ${protocol}`),
    );
  }
  const request = protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: HttpRequestError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new HttpRequestError("TimeoutError", `no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const req = request(
      target,
      {
        method: options.method,
        agent: agents[protocol],
        headers: {
          ...options.headers,
          ...(options.body !== undefined
            ? { "content-length": String(Buffer.byteLength(options.body)) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            fail(new HttpRequestError("ResponseTooLargeError", `response over ${MAX_RESPONSE_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("error", (error) => fail(new HttpRequestError(error.name, error.message)));
        res.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      fail(new HttpRequestError(error.code ?? error.name, error.message)),
    );
    req.end(options.body);
  });
}
