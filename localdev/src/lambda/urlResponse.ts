// Maps an invocation result to the HTTP answer of a Function URL (structured or inferred response, errors).
import type { HeaderList } from "./cors.js";
import type { InvokeResult } from "./runtime.js";

export interface UrlAnswer {
  status: number;
  headers: HeaderList;
  body: Buffer;
}

const JSON_TYPE = "application/json";

export function jsonAnswer(status: number, body: unknown, errorType?: string): UrlAnswer {
  return {
    status,
    headers: [
      ["content-type", JSON_TYPE],
      ...(errorType ? ([["x-amzn-ErrorType", errorType]] as HeaderList) : []),
    ],
    body: Buffer.from(JSON.stringify(body)),
  };
}

// The function failed: the client learns nothing but this (details stay in the log). The body is the plain
// text AWS sends; the error-type header value is our pick (AWS's is unconfirmed).
const FUNCTION_ERROR: UrlAnswer = {
  status: 502,
  headers: [
    ["content-type", JSON_TYPE],
    ["x-amzn-ErrorType", "InternalServerErrorException"],
  ],
  body: Buffer.from("Internal Server Error"),
};

export function answerFromResult(result: InvokeResult): UrlAnswer {
  if (!result.ok) {
    if (result.status === 429)
      return jsonAnswer(429, { Message: "Rate Exceeded." }, "TooManyRequestsException");
    return FUNCTION_ERROR;
  }
  const payload = result.payload;
  if (typeof payload === "object" && payload !== null && !Array.isArray(payload) && "statusCode" in payload) {
    return structuredAnswer(payload as Record<string, unknown>) ?? FUNCTION_ERROR;
  }
  // No statusCode: Lambda infers 200 and sends the JSON of the value (a string keeps its quotes).
  return { status: 200, headers: [["content-type", JSON_TYPE]], body: Buffer.from(JSON.stringify(payload)) };
}

/** undefined when the response is malformed, which Lambda answers with 502. */
function structuredAnswer(response: Record<string, unknown>): UrlAnswer | undefined {
  const status = Number(response.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: HeaderList = [];
  const given = response.headers;
  if (given !== undefined && given !== null) {
    if (typeof given !== "object" || Array.isArray(given)) return undefined;
    for (const [name, value] of Object.entries(given)) {
      if (value === undefined || value === null || name.toLowerCase() === "set-cookie") continue;
      headers.push([name, String(value)]);
    }
  }
  if (!headers.some(([name]) => name.toLowerCase() === "content-type"))
    headers.push(["content-type", JSON_TYPE]);
  if (Array.isArray(response.cookies)) {
    for (const cookie of response.cookies) headers.push(["set-cookie", String(cookie)]);
  }
  const body = response.body;
  const text =
    body === undefined || body === null ? "" : typeof body === "string" ? body : JSON.stringify(body);
  const bytes = response.isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text);
  if (!headers.every(([name, value]) => isValidHeader(name, value))) return undefined;
  return { status, headers, body: bytes };
}

function isValidHeader(name: string, value: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) && !/[\r\n\0]/.test(value);
}
