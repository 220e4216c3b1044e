// Start and stop HTTP servers (on 127.0.0.1 unless told otherwise), with a clear error when the port is taken
// and one error boundary per request: whatever a handler throws, that request gets an answer and the server
// keeps serving.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { answerAndLinger, clientErrorAnswer } from "./lingeringClose.js";
import { createLogger, type Logger } from "./log.js";

export interface Listening {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>`: where this process reaches the server. */
  url: string;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Interface to bind; 127.0.0.1 by default (a container binds 0.0.0.0). */
  host?: string;
  /** Largest request head accepted (Node's default is 16 KB). */
  maxHeaderSize?: number;
  /** Answers a request Node could not parse (e.g. a head over `maxHeaderSize`); a JSON 400/431/408 by default. */
  onClientError?: (error: NodeJS.ErrnoException, socket: Duplex) => void;
  /** Where the error boundary reports failed requests; a stderr logger scoped to the service by default. */
  log?: Logger;
}

/**
 * Thrown by a handler for a fault in what the client sent (a malformed target, a bad encoding): the
 * boundary answers `status` (a 4xx) with the message. Anything else a handler throws is the kit's fault: 500.
 */
export class ClientRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ClientRequestError";
  }
}

/**
 * The request's path and query, parsed without trusting it: an absolute-form target (`http://host/x`) is
 * reduced to its path, and a target that is no URL at all is the client's fault (400).
 */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? "/", "http://kit.invalid");
  } catch {
    throw new ClientRequestError(400, "The request target is not a valid URL.");
  }
}

/** `decodeURIComponent` whose failure (e.g. `%E0%A4%A`) is the client's fault (400). */
export function decodeUriComponentOrReject(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ClientRequestError(400, "The request path has an invalid percent-encoding.");
  }
}

/**
 * Wraps a handler so that neither a synchronous throw nor a rejected promise can escape to the process:
 * the request gets a 4xx ({@link ClientRequestError}) or a 500, the failure is logged, the next request is
 * served as usual. Stream errors of a broken connection are absorbed the same way.
 */
export function withErrorBoundary(handler: RequestListener, service: string, log: Logger): RequestListener {
  return (req, res) => {
    req.on("error", () => {});
    res.on("error", () => {});
    const fail = (error: unknown) => answerFailure(req, res, error, service, log);
    try {
      const result: unknown = handler(req, res);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

function answerFailure(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  service: string,
  log: Logger,
): void {
  const client = error instanceof ClientRequestError && error.status >= 400 && error.status < 500;
  const status = client ? error.status : 500;
  // Only the method and a bounded target: the target's query could carry a code, and the log stays small.
  const fields = {
    method: req.method?.slice(0, 16),
    target: (req.url ?? "").split("?")[0]?.slice(0, 200),
    error: error instanceof Error ? error.message : String(error),
  };
  if (client) log.warn("request refused", fields);
  else log.error("request failed in the kit (answered 500)", fields);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = client ? (error as Error).message : `Internal error in the kit's ${service} service.`;
  const body = JSON.stringify({ message });
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly service: string,
  ) {
    super(`Port ${port} (${service}) is already in use. Stop what uses it, or start with --port <base>.`);
    this.name = "PortInUseError";
  }
}

/** Answers 503 while a service waits for the deployment it serves. */
export const notReady: RequestListener = (_req, res) => {
  res.writeHead(503, { "content-type": "application/json" }).end('{"message":"furl-kit is starting"}');
};

/** Listens on `port` (0 = ephemeral). */
export function listen(
  handler: RequestListener,
  port: number,
  service: string,
  options: ListenOptions = {},
): Promise<Listening> {
  const server = createServer(
    {
      keepAliveTimeout: 5_000,
      headersTimeout: 10_000,
      requestTimeout: 60_000,
      ...(options.maxHeaderSize ? { maxHeaderSize: options.maxHeaderSize } : {}),
    },
    withErrorBoundary(handler, service, options.log ?? createLogger(`furl-kit:${service}`)),
  );
  server.on(
    "clientError",
    options.onClientError ??
      ((error: NodeJS.ErrnoException, socket: Duplex) => answerAndLinger(socket, clientErrorAnswer(error))),
  );
  // No service here is a proxy. Without a listener Node would drop a CONNECT without a word.
  server.on("connect", (_req: IncomingMessage, socket: Duplex) => {
    socket.on("error", () => {});
    const body = '{"message":"CONNECT is not served here."}';
    // Destroyed once written: the socket has left the HTTP server, so close() would otherwise wait for it.
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port, service) : error);
    });
    server.listen(port, options.host ?? "127.0.0.1", () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: actual,
        url: `http://127.0.0.1:${actual}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
