// Serve the distribution with room for CloudFront's 20,480-byte header limit.
import type { RequestListener } from "node:http";
import type { Duplex } from "node:stream";
import { answerAndLinger } from "../../shared/lingeringClose.js";
import { type Listening, type ListenOptions, listen } from "../../shared/listen.js";
import { cloudFrontErrorPage } from "./errorPages.js";

/**
 * Server options for the distribution: Node's default 16 KB header cap would answer 431 before
 * CloudFront's own 20,480-byte check could answer 413; this accepts up to 64 KB and answers 413 beyond.
 */
export const CLOUDFRONT_LISTEN_OPTIONS: ListenOptions = {
  maxHeaderSize: 64 * 1024,
  onClientError(error: NodeJS.ErrnoException, socket: Duplex) {
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 413 : 400;
    const body = cloudFrontErrorPage(status, "-");
    answerAndLinger(
      socket,
      `HTTP/1.1 ${status} ${status === 413 ? "Request Entity Too Large" : "Bad Request"}\r\nServer: CloudFront\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  },
};

/** Like the shared `listen()`, with {@link CLOUDFRONT_LISTEN_OPTIONS}. */
export function listenCloudFront(handler: RequestListener, port: number, host?: string): Promise<Listening> {
  return listen(handler, port, "cloudfront", { ...CLOUDFRONT_LISTEN_OPTIONS, host });
}
