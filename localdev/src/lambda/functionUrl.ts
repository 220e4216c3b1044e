// The Function URL front end: Host check, auth type, CORS preflight, 6 MB body limit, event, response mapping.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { type Clock, systemClock } from "../shared/clock.js";
import { type Logger, silentLogger } from "../shared/log.js";
import { readBody } from "../shared/readBody.js";
import { type HeaderList, parseCors, preflightHeaders, responseCorsHeaders } from "./cors.js";
import type { FunctionRuntime } from "./runtime.js";
import type { FunctionUrlConfig } from "./urlConfig.js";
import { buildFunctionUrlEvent } from "./urlEvent.js";
import { answerFromResult, jsonAnswer, type UrlAnswer } from "./urlResponse.js";

/** Lambda's synchronous invocation payload limit, applied to the request body. */
export const MAX_REQUEST_BYTES = 6_291_456;

/**
 * Creates the HTTP handler of a Function URL in front of `runtime`.
 * @throws Error when the CORS config is malformed (at start-up, not per request).
 */
export function createFunctionUrl(
  config: FunctionUrlConfig,
  runtime: FunctionRuntime,
  deps: { log?: Logger; clock?: Clock } = {},
): { handler: RequestListener } {
  const log = (deps.log ?? silentLogger).child(`url:${config.urlId}`);
  const clock = deps.clock ?? systemClock;
  const cors = parseCors(config.cors);

  async function answer(req: IncomingMessage, requestId: string): Promise<UrlAnswer> {
    const host = (req.headers.host ?? "").toLowerCase();
    if (!config.acceptedHosts().some((accepted) => accepted.toLowerCase() === host)) {
      return jsonAnswer(403, { Message: null }, "AccessDeniedException");
    }
    if (config.authType === "AWS_IAM") {
      return jsonAnswer(
        403,
        {
          Message:
            "Function URL auth type AWS_IAM (SigV4 callers, CloudFront OAC) is not emulated by furl-kit",
        },
        "FurlKit#NotEmulated",
      );
    }
    const origin = req.headers.origin;
    if (cors && req.method === "OPTIONS") {
      return { status: 200, headers: preflightHeaders(cors, origin), body: Buffer.alloc(0) };
    }
    // A declared length over the limit is answered unread; an undeclared one stops being read at the limit.
    const body = await readBody(req, {
      limit: MAX_REQUEST_BYTES,
      trustDeclaredLength: true,
      overflow: "pause",
    });
    if (body === "too-large") {
      return jsonAnswer(
        413,
        {
          Message: `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`,
        },
        "RequestEntityTooLargeException",
      );
    }
    const event = buildFunctionUrlEvent(req, body, {
      urlId: config.urlId,
      region: config.region,
      requestId,
      now: clock.now(),
    });
    const result = await runtime.invoke(event, { requestId });
    const mapped = answerFromResult(result);
    if (result.ok && mapped.status === 502)
      log.warn(`${requestId} Malformed function response: answering 502`);
    return cors ? { ...mapped, headers: [...mapped.headers, ...responseCorsHeaders(cors, origin)] } : mapped;
  }

  const handler: RequestListener = (req, res) => {
    const requestId = randomUUID();
    answer(req, requestId)
      .catch((error: unknown) => {
        log.error(`${requestId} Function URL failed`, { error: (error as Error).message });
        return jsonAnswer(
          500,
          { Message: "Internal error in the Function URL emulator" },
          "ServiceException",
        );
      })
      .then((a) => send(req, res, a, requestId))
      .catch((error: unknown) => {
        log.error(`${requestId} Could not send the answer`, { error: (error as Error).message });
        res.destroy();
      });
  };
  return { handler };
}

function send(req: IncomingMessage, res: ServerResponse, answer: UrlAnswer, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  const headers: HeaderList = [
    ...answer.headers,
    ["x-amzn-RequestId", requestId],
    ["content-length", String(answer.body.length)],
  ];
  // A body we stopped reading: close the connection instead of draining megabytes.
  if (answer.status === 413) headers.push(["connection", "close"]);
  res.writeHead(answer.status, headers.flat());
  res.end(req.method === "HEAD" ? undefined : answer.body);
}
