// Rejects requests that did not come through CloudFront, which adds the secret x-origin-verify header.
import { createHash, timingSafeEqual } from "node:crypto";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { OriginVerificationError } from "./errors.js";
import { getHeader } from "./request.js";

/** The custom origin header CloudFront sends with the origin secret. */
export const ORIGIN_VERIFY_HEADER = "x-origin-verify";

/**
 * Throws {@link OriginVerificationError} unless `x-origin-verify` equals the origin secret.
 * Compares SHA-256 digests in constant time, so neither the value nor its length leaks through timing.
 */
export function assertFromCloudFront(event: LambdaFunctionURLEvent, originSecret: string): void {
  const sent = getHeader(event, ORIGIN_VERIFY_HEADER);
  if (sent === undefined) throw new OriginVerificationError({ reason: "origin header missing" });
  if (!timingSafeEqual(digest(sent), digest(originSecret))) {
    throw new OriginVerificationError({ reason: "origin header wrong" });
  }
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
