// Buffers a request body up to a limit: the one body reader of the servers that pass a body on (edge, Function URL).
import type { IncomingMessage } from "node:http";

export interface ReadBodyOptions {
  /** The largest body, in bytes; one byte more is "too-large". */
  limit: number;
  /** Answer "too-large" from a declared Content-Length over the limit, before reading a byte. */
  trustDeclaredLength?: boolean;
  /**
   * What becomes of the rest of an oversized body: "discard" reads it on and drops it, "pause" stops reading
   * (the caller's answer then closes the connection).
   */
  overflow: "discard" | "pause";
}

/** The whole body, or "too-large" once it passes the limit. Rejects when the request stream fails. */
export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer | "too-large"> {
  const { limit } = options;
  if (options.trustDeclaredLength) {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return Promise.resolve("too-large");
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        if (options.overflow === "discard") req.resume();
        else req.pause();
        resolve("too-large");
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
