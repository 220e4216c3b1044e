// The AWS JSON 1.1 protocol, once for every emulated service: POST / with X-Amz-Target "<prefix><Operation>"
// and a JSON object body; answers JSON with x-amzn-RequestId, errors as {"__type","message"} + x-amzn-ErrorType.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AwsError, awsJsonErrorBody, missingOperationError } from "./awsError.js";
import type { Logger } from "./log.js";

export const AWS_JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

/** One operation: the parsed request object in, the response body out (or an AwsError thrown). */
export type AwsJsonOperation = (request: Record<string, unknown>) => unknown;

export interface AwsJsonService {
  /** X-Amz-Target prefix, e.g. `AmazonSSM.`. */
  targetPrefix: string;
  /** The service as a not-emulated error names it, e.g. `SSM`, `cognito-idp`. */
  serviceName: string;
  /** A Map, so an inherited property (`constructor`, `__proto__`) never passes for an operation. */
  operations: ReadonlyMap<string, AwsJsonOperation>;
  /** The error for a missing X-Amz-Target or one of another service (`""` when missing). */
  unknownTarget(target: string): AwsError;
  /** Refuse any Content-Type but AWS JSON 1.1 with SerializationException (Cognito does; SSM does not). */
  requireJsonContentType?: boolean;
  /** How the service ends its SerializationException messages ("." for SSM, "" for Cognito). */
  messageEnd: "." | "";
  /** What an unexpected failure inside an operation answers (status 500). */
  internalError: AwsError;
  log: Logger;
}

/**
 * Answers one AWS JSON 1.1 request. `body` gives the request body text; it is asked for only once the
 * target (and content type) passed, so a body that is never read is never buffered.
 */
export type AwsJsonDispatcher = (
  req: IncomingMessage,
  res: ServerResponse,
  body: () => string | Promise<string>,
) => Promise<void>;

export function awsJsonDispatcher(service: AwsJsonService): AwsJsonDispatcher {
  const { log } = service;
  return async (req, res, body) => {
    const requestId = randomUUID();
    let name: string | undefined;
    try {
      const call = await operationCall(service, req, body);
      name = call.name;
      log.debug(name);
      sendAwsJson(res, 200, await call.operation(call.request), requestId);
    } catch (error) {
      if (error instanceof AwsError) {
        log.debug(`${error.code}: ${error.message}`);
        sendAwsJsonError(res, error, requestId);
        return;
      }
      log.error("operation failed", { operation: name, error: (error as Error).message });
      sendAwsJsonError(res, service.internalError, requestId);
    }
  };
}

/** The checks in AWS's order: route, target, content type, body, operation. */
async function operationCall(
  service: AwsJsonService,
  req: IncomingMessage,
  readBody: () => string | Promise<string>,
): Promise<{ name: string; operation: AwsJsonOperation; request: Record<string, unknown> }> {
  if (req.method !== "POST" || (req.url ?? "/").split("?")[0] !== "/") {
    throw new AwsError(
      "UnknownOperationException",
      `No route for ${req.method} ${(req.url ?? "").slice(0, 200)}.`,
      404,
    );
  }
  const target = req.headers["x-amz-target"];
  const targetText = typeof target === "string" ? target : "";
  if (!targetText.startsWith(service.targetPrefix)) throw service.unknownTarget(targetText);
  const name = targetText.slice(service.targetPrefix.length);
  if (
    service.requireJsonContentType &&
    !(req.headers["content-type"] ?? "").startsWith(AWS_JSON_CONTENT_TYPE)
  ) {
    throw new AwsError("SerializationException", `Content-Type must be ${AWS_JSON_CONTENT_TYPE}`);
  }
  const request = parseJsonObject(await readBody(), service.messageEnd);
  const operation = service.operations.get(name);
  if (!operation) throw missingOperationError(service.serviceName, name);
  return { name, operation, request };
}

/** The request object of a JSON 1.1 body; an empty body is `{}`. */
function parseJsonObject(text: string, end: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError("SerializationException", `Request body is not valid JSON${end}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AwsError("SerializationException", `Request body must be a JSON object${end}`);
  }
  return parsed as Record<string, unknown>;
}

export function sendAwsJsonError(res: ServerResponse, error: AwsError, requestId: string): void {
  sendAwsJson(res, error.status, awsJsonErrorBody(error), requestId, error.code);
}

function sendAwsJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  errorType?: string,
): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body) ?? "";
  res.writeHead(status, {
    "content-type": AWS_JSON_CONTENT_TYPE,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": requestId,
    ...(errorType ? { "x-amzn-errortype": errorType } : {}),
  });
  res.end(text);
}
