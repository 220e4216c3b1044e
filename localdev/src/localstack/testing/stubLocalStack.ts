// Test double for LocalStack's gateway: the Function URL router's host matching, its CORS guard and a v2.0 event.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Listening, listen } from "../../shared/listen.js";

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

/**
 * Answers like LocalStack 4.14: hosts `<url-id>.lambda-url.<region>.<anything>` reach the function (an unknown
 * id gets 403 AccessDeniedException), other hosts 404; browser origins outside the allow-list get 403 from the
 * CORS guard (EXTRA_CORS_ALLOWED_ORIGINS). See localstack `services/lambda_/urlrouter.py`, `aws/handlers/cors.py`.
 */
export async function startStubLocalStack(options: {
  urlId: string;
  allowedOrigins: string[];
  invoke: (event: StubEvent) => StubResult;
}): Promise<StubLocalStack> {
  const events: StubEvent[] = [];
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const origin = req.headers.origin;
      if (origin && !options.allowedOrigins.includes(origin)) {
        return json(res, 403, { __type: "AccessDenied", message: "CORS request forbidden" });
      }
      const match = /^([a-z0-9]+)\.lambda-url\.[a-z0-9-]+\./.exec(req.headers.host ?? "");
      if (!match) return json(res, 404, { message: "not a Function URL host" });
      if (match[1] !== options.urlId) {
        return json(res, 403, { __type: "AccessDeniedException", Message: "Forbidden" });
      }
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
      res
        .writeHead(result.statusCode, { "content-type": "application/json", ...result.headers })
        .end(result.body);
    });
  };
  const listening = await listen(handler, 0, "localstack-stub");
  return { listening, events, close: () => listening.close() };
}
