// Reads and validates the incoming Function URL request: method, headers and the sign-in code in the body.
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { BadRequestError, MethodNotAllowedError } from "./errors.js";

/** Largest accepted body, in bytes after base64 decoding. */
export const MAX_BODY_BYTES = 16 * 1024;
/** Longest accepted authorization code (Cognito's are 36-char UUIDs). */
export const MAX_CODE_LENGTH = 2048;

/** Value of a request header; Function URLs lowercase names, but be lenient with hand-made events. */
export function getHeader(event: LambdaFunctionURLEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** A CORS preflight: OPTIONS with Access-Control-Request-Method, as browsers send before a JSON POST. */
export function isPreflight(event: LambdaFunctionURLEvent): boolean {
  const method = (event.requestContext?.http?.method ?? "").toUpperCase();
  return method === "OPTIONS" && getHeader(event, "access-control-request-method") !== undefined;
}

/** Throws {@link MethodNotAllowedError} unless the method is POST. */
export function assertPost(event: LambdaFunctionURLEvent): void {
  const method = (event.requestContext?.http?.method ?? "").toUpperCase();
  if (method !== "POST") throw new MethodNotAllowedError(method || "unknown");
}

/**
 * Returns the authorization code from `{ "code": ... }` (or the original sample's `cognitoCode`),
 * or `undefined` for a guest (no body, `{}`, or a null/empty code).
 * @throws {@link BadRequestError} when the body is too large, not JSON, not an object, or the code is not a
 *   string or too long.
 */
export function readSignInCode(event: LambdaFunctionURLEvent): string | undefined {
  const text = bodyText(event);
  if (text.trim() === "") return undefined;

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new BadRequestError('the body must be JSON, e.g. {"code": "..."}.', {
      reason: "body not JSON",
      cause,
    });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new BadRequestError('the body must be a JSON object, e.g. {"code": "..."}.', {
      reason: "body not an object",
    });
  }

  const fields = parsed as Record<string, unknown>;
  const code = fields.code ?? fields.cognitoCode;
  if (code === undefined || code === null || code === "") return undefined;
  if (typeof code !== "string") {
    throw new BadRequestError('"code" must be a string.', { reason: "code not a string" });
  }
  if (code.length > MAX_CODE_LENGTH) {
    throw new BadRequestError(`"code" must be at most ${MAX_CODE_LENGTH} characters.`, {
      reason: "code too long",
    });
  }
  return code;
}

function bodyText(event: LambdaFunctionURLEvent): string {
  const body = event.body ?? "";
  const tooLarge = () =>
    new BadRequestError(`the body must be at most ${MAX_BODY_BYTES} bytes.`, { reason: "body too large" });

  if (!event.isBase64Encoded) {
    if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) throw tooLarge();
    return body;
  }
  // Check the encoded size first so a huge body is never decoded.
  if (body.length > Math.ceil(MAX_BODY_BYTES / 3) * 4 + 4) throw tooLarge();
  const bytes = Buffer.from(body, "base64");
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new BadRequestError("the body must be UTF-8 JSON.", { reason: "body not UTF-8", cause });
  }
}
