// AWS JSON 1.1 protocol for SSM: POST / with X-Amz-Target "AmazonSSM.<Op>", errors as {"__type","message"}.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { AwsError, awsJsonErrorBody, missingOperationError } from "../shared/awsError.js";
import type { Logger } from "../shared/log.js";
import type { Operation, SsmDeps } from "./deps.js";
import { SerializationError, UnknownOperationError } from "./errors.js";
import { deleteParameter } from "./operations/deleteParameter.js";
import { getParameter } from "./operations/getParameter.js";
import { getParameters } from "./operations/getParameters.js";
import { getParametersByPath } from "./operations/getParametersByPath.js";
import { putParameter } from "./operations/putParameter.js";

const TARGET_PREFIX = "AmazonSSM.";
const CONTENT_TYPE = "application/x-amz-json-1.1";
// Far above any real SSM request (values are at most 8 KB), low enough that nothing can fill memory.
const MAX_BODY_BYTES = 1024 * 1024;

export function createSsmRouter(deps: SsmDeps, log: Logger): RequestListener {
  // A Map: an X-Amz-Target naming an inherited property (AmazonSSM.constructor) is no operation.
  const operations = new Map<string, Operation>([
    ["GetParameter", getParameter(deps)],
    ["GetParameters", getParameters(deps)],
    ["GetParametersByPath", getParametersByPath(deps)],
    ["PutParameter", putParameter(deps)],
    ["DeleteParameter", deleteParameter(deps)],
  ]);

  return (req, res) => {
    const requestId = randomUUID();
    handle(req, operations, log)
      .then((result) => send(res, 200, result, requestId))
      .catch((error: unknown) => {
        if (error instanceof AwsError) {
          log.debug(`${error.code}: ${error.message}`);
          send(res, error.status, awsJsonErrorBody(error), requestId);
          return;
        }
        log.error("SSM emulator failed", { error: (error as Error).message });
        send(
          res,
          500,
          { __type: "InternalServerError", message: "Internal error in the SSM emulator." },
          requestId,
        );
      });
  };
}

async function handle(
  req: IncomingMessage,
  operations: ReadonlyMap<string, Operation>,
  log: Logger,
): Promise<unknown> {
  if (req.method !== "POST" || (req.url ?? "/").split("?")[0] !== "/") {
    throw new AwsError(
      "UnknownOperationException",
      `No route for ${req.method} ${(req.url ?? "").slice(0, 200)}.`,
      404,
    );
  }
  const target = req.headers["x-amz-target"];
  if (typeof target !== "string" || !target.startsWith(TARGET_PREFIX)) throw new UnknownOperationError();
  const name = target.slice(TARGET_PREFIX.length);
  const body = await readJsonBody(req);
  const operation = operations.get(name);
  if (!operation) throw missingOperationError("SSM", name);
  log.debug(name, { name: typeof body.Name === "string" ? body.Name : undefined });
  return operation(body);
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AwsError("RequestEntityTooLarge", "Request body is too large.", 413);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SerializationError("Request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SerializationError("Request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": CONTENT_TYPE,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": requestId,
  });
  res.end(text);
}
