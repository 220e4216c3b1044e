// Rejects requests that did not come through CloudFront, which adds the secret x-origin-verify header.
import { createHash, timingSafeEqual } from "node:crypto";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { ORIGIN_VERIFY_HEADER } from "../../infra/lib/constants.js";
import { OriginVerificationError } from "./errors.js";
import { getHeader } from "./request.js";

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
