// Builds the handler's JSON answers: {message, username?} with status and headers.
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { type HandlerError, MethodNotAllowedError } from "./errors.js";

/** The structured result a Function URL maps to an HTTP response. */
export type FunctionUrlResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/** Body of every answer. */
export interface ResponseBody {
  message: string;
  username?: string;
}

function json(
  statusCode: number,
  body: ResponseBody,
  extraHeaders: Record<string, string> = {},
): FunctionUrlResult {
  return {
    statusCode,
    // no-store: answers are per-user and must never be cached by CloudFront or the browser.
    headers: { "content-type": "application/json", "cache-control": "no-store", ...extraHeaders },
    body: JSON.stringify(body),
  };
}

/** 200 for a verified user. */
export function authenticated(username: string): FunctionUrlResult {
  return json(200, {
    message: `You are authenticated as ${username}. Lambda execution was successful.`,
    username,
  });
}

/** The answer for a handler error; 405 also carries `Allow: POST`. */
export function fromHandlerError(error: HandlerError): FunctionUrlResult {
  const extra: Record<string, string> = error instanceof MethodNotAllowedError ? { allow: "POST" } : {};
  return json(error.status, { message: error.message }, extra);
}

/** 204 for a CORS preflight; the CORS headers come from CloudFront's response headers policy. */
export function preflightAccepted(): FunctionUrlResult {
  return { statusCode: 204, headers: { allow: "POST, OPTIONS", "cache-control": "no-store" }, body: "" };
}

/** 500 for a bug: says nothing about the cause. */
export function internalError(): FunctionUrlResult {
  return json(500, { message: "Internal error: the request could not be handled." });
}
