// Serve the distribution on 127.0.0.1 with room for CloudFront's 20,480-byte header limit.
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type Listening, PortInUseError } from "../../shared/listen.js";
import { cloudFrontErrorPage } from "./errorPages.js";

/**
 * Like the shared `listen()`, but Node's default 16 KB header cap would answer 431 before CloudFront's own
 * 20,480-byte check could answer 413; this server accepts up to 64 KB and answers 413 beyond.
 */
export function listenCloudFront(handler: RequestListener, port: number): Promise<Listening> {
  const server = createServer(
    { maxHeaderSize: 64 * 1024, keepAliveTimeout: 5_000, headersTimeout: 20_000, requestTimeout: 60_000 },
    handler,
  );
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 413 : 400;
    const body = cloudFrontErrorPage(status, "-");
    socket.end(
      `HTTP/1.1 ${status} ${status === 413 ? "Request Entity Too Large" : "Bad Request"}\r\nServer: CloudFront\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port, "cloudfront") : error);
    });
    server.listen(port, "127.0.0.1", () => {
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
