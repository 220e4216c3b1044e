// SSM on the shared AWS JSON 1.1 dispatcher: POST / with X-Amz-Target "AmazonSSM.<Op>".
import type { IncomingMessage, RequestListener } from "node:http";
import { AwsError } from "../shared/awsError.js";
import { awsJsonDispatcher } from "../shared/awsJson.js";
import type { Logger } from "../shared/log.js";
import type { Operation, SsmDeps } from "./deps.js";
import { UnknownOperationError } from "./errors.js";
import { deleteParameter } from "./operations/deleteParameter.js";
import { getParameter } from "./operations/getParameter.js";
import { getParameters } from "./operations/getParameters.js";
import { getParametersByPath } from "./operations/getParametersByPath.js";
import { putParameter } from "./operations/putParameter.js";

// Far above any real SSM request (values are at most 8 KB), low enough that nothing can fill memory.
const MAX_BODY_BYTES = 1024 * 1024;

export function createSsmRouter(deps: SsmDeps, log: Logger): RequestListener {
  const dispatch = awsJsonDispatcher({
    targetPrefix: "AmazonSSM.",
    serviceName: "SSM",
    operations: new Map<string, Operation>([
      ["GetParameter", getParameter(deps)],
      ["GetParameters", getParameters(deps)],
      ["GetParametersByPath", getParametersByPath(deps)],
      ["PutParameter", putParameter(deps)],
      ["DeleteParameter", deleteParameter(deps)],
    ]),
    unknownTarget: () => new UnknownOperationError(),
    messageEnd: ".",
    internalError: new AwsError("InternalServerError", "Internal error in the SSM emulator.", 500),
    log,
  });
  return (req, res) => void dispatch(req, res, () => readText(req));
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AwsError("RequestEntityTooLarge", "Request body is too large.", 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
