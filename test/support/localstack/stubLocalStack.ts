// Test double for LocalStack 4.14's gateway: the Function URL router's host matching, its CORS guard and
// preflight answer, the CORS headers it adds, and a v2.0 event. See localstack v4.14.0
// `services/lambda_/urlrouter.py` and `aws/handlers/cors.py` (CorsEnforcer, CorsResponseEnricher).
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Listening, listen } from "../../../localdev/src/shared/listen.js";

export interface StubEvent {
  version: "2.0";
  rawPath: string;
  headers: Record<string, string>;
  body?: string;
  requestContext: { http: { method: string; sourceIp: string } };
}

export interface StubResult {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

export interface StubLocalStack {
  listening: Listening;
  /** Events the "function" received. */
  events: StubEvent[];
  close(): Promise<void>;
}

/** CorsResponseEnricher's lists in 4.14 (CORS_ALLOWED_METHODS, the Lambda part of the allowed and exposed headers). */
const ALLOWED_METHODS = "HEAD,GET,PUT,POST,DELETE,OPTIONS,PATCH";
const ALLOWED_HEADERS = "authorization,cache-control,content-length,content-md5,content-type,x-amz-date";
const EXPOSE_HEADERS = "etag,x-amz-version-id,x-amz-log-result,x-amz-executed-version,x-amz-function-error";

/** What CorsResponseEnricher adds when the request has an Origin: only headers the response lacks. */
function corsHeaders(
  origin: string | undefined,
  existing: Record<string, string> = {},
): Record<string, string> {
  if (!origin) return {};
  const has = (name: string) => Object.keys(existing).some((key) => key.toLowerCase() === name);
  const added: Record<string, string> = {};
  const allowOrigin = has("access-control-allow-origin") ? undefined : origin;
  if (allowOrigin) added["access-control-allow-origin"] = allowOrigin;
  if (!(allowOrigin ?? "").includes("*")) added["access-control-allow-credentials"] = "true";
  if (!has("access-control-allow-methods")) added["access-control-allow-methods"] = ALLOWED_METHODS;
  if (!has("access-control-allow-headers")) added["access-control-allow-headers"] = ALLOWED_HEADERS;
  if (!has("access-control-expose-headers")) added["access-control-expose-headers"] = EXPOSE_HEADERS;
  added.vary = "Origin";
  return added;
}

/**
 * Answers like LocalStack 4.14:
 * - a browser Origin (or Referer) outside the allow-list (EXTRA_CORS_ALLOWED_ORIGINS and LocalStack's own) gets
 *   403 with an empty body before anything else (CorsEnforcer terminates the chain);
 * - any other OPTIONS gets 204 from the gateway itself, with CORS headers, and never reaches the function;
 * - hosts `<url-id>.lambda-url.<region>.<anything>` reach the function (an unknown id gets 403
 *   AccessDeniedException), other hosts 404;
 * - with an Origin, responses get Access-Control-Allow-Origin (the origin) and Access-Control-Allow-Credentials: true.
 */
export async function startStubLocalStack(options: {
  urlId: string;
  allowedOrigins: string[];
  invoke: (event: StubEvent) => StubResult;
}): Promise<StubLocalStack> {
  const events: StubEvent[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const origin = req.headers.origin;
      const referer = req.headers.referer ? new URL(req.headers.referer).origin : undefined;
      const browserOrigin = origin ?? referer;
      if (browserOrigin && !options.allowedOrigins.includes(browserOrigin)) {
        res.writeHead(403).end();
        return;
      }
      const json = (status: number, body: unknown) =>
        res
          .writeHead(status, { "content-type": "application/json", ...corsHeaders(origin) })
          .end(JSON.stringify(body));
      if (req.method === "OPTIONS") {
        res.writeHead(204, corsHeaders(origin)).end();
        return;
      }
      const match = /^([a-z0-9]+)\.lambda-url\.[a-z0-9-]+\./.exec(req.headers.host ?? "");
      if (!match) return json(404, { message: "not a Function URL host" });
      if (match[1] !== options.urlId)
        return json(403, { __type: "AccessDeniedException", Message: "Forbidden" });
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]),
      );
      const event: StubEvent = {
        version: "2.0",
        rawPath: (req.url ?? "/").split("?")[0]!,
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks).toString("utf8") } : {}),
        requestContext: { http: { method: req.method ?? "GET", sourceIp: req.socket.remoteAddress ?? "" } },
      };
      events.push(event);
      const result = options.invoke(event);
      const resultHeaders = { "content-type": "application/json", ...result.headers };
      res
        .writeHead(result.statusCode, { ...resultHeaders, ...corsHeaders(origin, resultHeaders) })
        .end(result.body);
    });
  };
  const listening = await listen(handler, 0, "localstack-stub");
  return { listening, events, close: () => listening.close() };
}
