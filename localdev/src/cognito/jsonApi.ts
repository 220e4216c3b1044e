// POST / : the cognito-idp AWS JSON 1.1 protocol, through the shared dispatcher (body read by express.text).
import type { Request, Response } from "express";
import { AwsError } from "../shared/awsError.js";
import { awsJsonDispatcher } from "../shared/awsJson.js";
import { operations } from "./operations/index.js";
import type { CognitoRuntime } from "./runtime.js";

export const JSON_API_BODY_LIMIT = "64kb";

export function jsonApiHandler(runtime: CognitoRuntime) {
  const dispatch = awsJsonDispatcher({
    targetPrefix: "AWSCognitoIdentityProviderService.",
    serviceName: "cognito-idp",
    operations: new Map([...operations].map(([name, run]) => [name, (request) => run(runtime, request)])),
    unknownTarget: (target) =>
      new AwsError("UnknownOperationException", `Unknown operation ${JSON.stringify(target.slice(0, 200))}`),
    requireJsonContentType: true,
    messageEnd: "",
    internalError: new AwsError("InternalErrorException", "Internal error in the Cognito emulator", 500),
    log: runtime.log.child("api"),
  });
  return (req: Request, res: Response): Promise<void> =>
    dispatch(req, res, () => (typeof req.body === "string" ? req.body : ""));
}
