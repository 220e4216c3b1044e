// POST / : the cognito-idp AWS JSON 1.1 protocol; dispatches on X-Amz-Target and serialises errors in one place.
import type { Request, Response } from "express";
import { AwsError, awsJsonErrorBody, missingOperationError } from "../shared/awsError.js";
import { newUuid } from "./ids.js";
import { operations } from "./operations/index.js";
import type { CognitoRuntime } from "./runtime.js";

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
export const JSON_API_BODY_LIMIT = "64kb";

function send(res: Response, status: number, body: unknown): void {
  res
    .status(status)
    .set({ "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": newUuid() })
    .send(JSON.stringify(body));
}

function sendError(res: Response, error: AwsError): void {
  res.set("x-amzn-errortype", error.code);
  send(res, error.status, awsJsonErrorBody(error));
}

export function jsonApiHandler(runtime: CognitoRuntime) {
  const log = runtime.log.child("api");
  return async (req: Request, res: Response): Promise<void> => {
    const target = req.get("x-amz-target") ?? "";
    if (!target.startsWith(TARGET_PREFIX)) {
      sendError(
        res,
        new AwsError(
          "UnknownOperationException",
          `Unknown operation ${JSON.stringify(target.slice(0, 200))}`,
        ),
      );
      return;
    }
    const name = target.slice(TARGET_PREFIX.length);
    if (!(req.get("content-type") ?? "").startsWith("application/x-amz-json-1.1")) {
      sendError(
        res,
        new AwsError("SerializationException", "Content-Type must be application/x-amz-json-1.1"),
      );
      return;
    }
    let request: unknown;
    try {
      request = JSON.parse(typeof req.body === "string" && req.body ? req.body : "{}");
    } catch {
      sendError(res, new AwsError("SerializationException", "Request body is not valid JSON"));
      return;
    }
    if (!request || typeof request !== "object" || Array.isArray(request)) {
      sendError(res, new AwsError("SerializationException", "Request body must be a JSON object"));
      return;
    }
    const operation = operations.get(name);
    if (!operation) {
      sendError(res, missingOperationError("cognito-idp", name));
      return;
    }
    try {
      send(res, 200, await operation(runtime, request as Record<string, unknown>));
    } catch (error) {
      if (error instanceof AwsError) {
        sendError(res, error);
        return;
      }
      log.error("operation failed", { operation: name, error: (error as Error).message });
      sendError(res, new AwsError("InternalErrorException", "Internal error in the Cognito emulator", 500));
    }
  };
}
