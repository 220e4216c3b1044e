// Start and stop HTTP servers (on 127.0.0.1 unless told otherwise), with a clear error when the port is taken.
import type { RequestListener, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

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
  /** Answers a request Node could not parse (e.g. a head over `maxHeaderSize`). */
  onClientError?: (error: NodeJS.ErrnoException, socket: Duplex) => void;
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
    handler,
  );
  if (options.onClientError) server.on("clientError", options.onClientError);
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
