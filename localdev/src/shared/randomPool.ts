// Random bytes for per-request ids (CloudFront ids, trace ids) from a pooled buffer: one getrandom call per 4 KB
// instead of one per request on the hot path.
import { randomFillSync } from "node:crypto";

const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** `length` cryptographically random bytes (a copy, safe to keep). */
export function pooledRandomBytes(length: number): Buffer {
  if (length > POOL_SIZE) return randomFillSync(Buffer.alloc(length));
  if (offset + length > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + length));
  offset += length;
  return out;
}
