// The pre-signed S3 URL CloudFormation hands a custom resource's provider, served by the kit: the provider PUTs its
// answer there and the waiting deployment picks it up. Reached through the AWS host gateway, because CDK's handlers
// send it over HTTPS to port 443 of the URL's host whatever the URL says.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../shared/readBody.js";

/** "The total size of the response body can't exceed 4096 bytes." (CloudFormation user guide, crpg-ref-responses) */
export const MAX_RESPONSE_BYTES = 4096;
// S3 itself takes much larger objects; the limit above is CloudFormation's, checked once the object is read.
const MAX_OBJECT_BYTES = 1024 * 1024;

export type ProviderAnswer = { ok: true; response: Record<string, unknown> } | { ok: false; reason: string };

interface Waiter {
  resolve(answer: ProviderAnswer): void;
}

/** The host of CloudFormation's response bucket in `region`, as real ResponseURLs name it. */
export function responseHost(region: string): string {
  return `cloudformation-custom-resource-response-${region.replace(/-/g, "")}.s3-${region}.amazonaws.com`;
}

export class ResponseCollector {
  readonly host: string;
  private readonly key = randomBytes(32);
  private readonly waiters = new Map<string, Waiter>();

  constructor(private readonly region: string) {
    this.host = responseHost(region);
  }

  /** A URL like CloudFormation's: `<StackId>|<LogicalId>|<RequestId>` as the key, signed so only it is accepted. */
  urlFor(stackId: string, logicalId: string, requestId: string): string {
    const key = encodeURIComponent(`${stackId}|${logicalId}|${requestId}`);
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
    const query = new URLSearchParams({
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Date": date,
      "X-Amz-SignedHeaders": "host",
      "X-Amz-Expires": "7200",
      "X-Amz-Credential": `ASIAFURLKITLOCAL0000/${date.slice(0, 8)}/${this.region}/s3/aws4_request`,
      "X-Amz-Signature": this.sign(key),
    });
    return `https://${this.host}/${key}?${query}`;
  }

  /** Resolves with the provider's answer for `requestId` (once; a second PUT for it is refused). */
  expect(requestId: string): Promise<ProviderAnswer> {
    return new Promise((resolve) => this.waiters.set(requestId, { resolve }));
  }

  /** Stops waiting for `requestId` (the deployment gave up on it). */
  cancel(requestId: string): void {
    this.waiters.delete(requestId);
  }

  readonly handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://local");
    const key = url.pathname.slice(1);
    if (req.method !== "PUT") {
      req.resume();
      return s3Error(
        res,
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
      );
    }
    if (!this.validSignature(key, url.searchParams.get("X-Amz-Signature"))) {
      req.resume();
      return s3Error(
        res,
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
      );
    }
    const requestId = decodeURIComponent(key).split("|")[2] ?? "";
    const waiter = this.waiters.get(requestId);
    const body = await readBody(req, { limit: MAX_OBJECT_BYTES, overflow: "discard" });
    if (body === "too-large")
      return s3Error(res, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    res.writeHead(200, { etag: `"${createHash("md5").update(body).digest("hex")}"` }).end();
    if (!waiter) return;
    this.waiters.delete(requestId);
    waiter.resolve(parseAnswer(body));
  };

  private sign(key: string): string {
    return createHmac("sha256", this.key).update(key).digest("hex");
  }

  private validSignature(key: string, signature: string | null): boolean {
    if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
    return timingSafeEqual(Buffer.from(this.sign(key), "hex"), Buffer.from(signature, "hex"));
  }
}

function parseAnswer(body: Buffer): ProviderAnswer {
  if (body.length > MAX_RESPONSE_BYTES)
    return {
      ok: false,
      reason: `Response object is too long: ${body.length} bytes (CloudFormation reads at most ${MAX_RESPONSE_BYTES})`,
    };
  try {
    const parsed = JSON.parse(body.toString("utf8")) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return { ok: true, response: parsed as Record<string, unknown> };
  } catch {}
  return { ok: false, reason: "Invalid response object: the provider's response is not a JSON object" };
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, { "content-type": "application/xml" })
    .end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
}
