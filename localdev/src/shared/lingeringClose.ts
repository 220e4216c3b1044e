// Answers on a raw socket and closes it without losing the answer. Closing a socket while the client is still
// sending makes the kernel reset the connection, and a reset can discard the answer before the client reads
// it (the client sees no status line at all). Like nginx's lingering close: send, half-close, then read and
// drop what still arrives until the client closes, a byte budget is spent, or a short timeout passes.
import type { Duplex } from "node:stream";

const LINGER_MS = 2_000;
const LINGER_BYTES = 16 * 1024 * 1024;

export function answerAndLinger(socket: Duplex, answer: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Whatever still arrives is not parsed any more (the HTTP parser already failed on this connection).
  socket.removeAllListeners("data");
  let discarded = 0;
  socket.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) socket.destroy();
  });
  socket.on("error", () => {});
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  socket.once("end", () => socket.destroy());
  socket.end(answer);
  socket.resume();
}

/** The plain answer for a request Node's HTTP parser refused (a bad head, one over the header limit). */
export function clientErrorAnswer(error: NodeJS.ErrnoException): string {
  const [status, reason] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large"]
      : error.code === "HPE_HEADERS_TIMEOUT" || error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout"]
        : [400, "Bad Request"];
  const body = JSON.stringify({ message: `${reason}: the request could not be parsed as HTTP/1.1.` });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
