// Secrets Manager on the shared AWS JSON 1.1 dispatcher (X-Amz-Target "secretsmanager.<Op>"): GetSecretValue and
// DescribeSecret for the stack's AWS::SecretsManager::Secret resources, whose values the kit generated.
import type { IncomingMessage, RequestListener } from "node:http";
import { AwsError } from "../shared/awsError.js";
import { type AwsJsonOperation, awsJsonDispatcher } from "../shared/awsJson.js";
import type { Logger } from "../shared/log.js";
import { readBody } from "../shared/readBody.js";

export interface LocalSecret {
  arn: string;
  name: string;
  value: string;
}

const MAX_BODY_BYTES = 1024 * 1024;
// The version id a secret's first value gets; the kit keeps one version (AWSCURRENT) per secret.
const VERSION_ID = "00000000-0000-4000-8000-000000000001";

const notFound = () =>
  new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");

/** A secret by its ARN, its name, or a partial ARN without the random suffix. */
export function findLocalSecret(secrets: readonly LocalSecret[], id: string): LocalSecret | undefined {
  return secrets.find((s) => s.arn === id || s.name === id || s.arn.startsWith(`${id}-`));
}

export interface SecretsManagerEmulator {
  handler: RequestListener;
  reconfigure(secrets: LocalSecret[]): void;
}

export function createSecretsManagerEmulator(options: {
  log: Logger;
  createdAt?: Date;
}): SecretsManagerEmulator {
  let secrets: LocalSecret[] = [];
  const created = (options.createdAt ?? new Date()).getTime() / 1000;
  const secretOf = (request: Record<string, unknown>) => {
    const id = request.SecretId;
    if (typeof id !== "string" || !id)
      throw new AwsError("InvalidParameterException", "You must provide a SecretId.");
    const secret = findLocalSecret(secrets, id);
    if (!secret) throw notFound();
    return secret;
  };
  const operations = new Map<string, AwsJsonOperation>([
    [
      "GetSecretValue",
      (request) => {
        const secret = secretOf(request);
        const stage = request.VersionStage ?? "AWSCURRENT";
        if (stage !== "AWSCURRENT" || (request.VersionId !== undefined && request.VersionId !== VERSION_ID))
          throw new AwsError(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for staging label: " + String(stage),
          );
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: VERSION_ID,
          SecretString: secret.value,
          VersionStages: ["AWSCURRENT"],
          CreatedDate: created,
        };
      },
    ],
    [
      "DescribeSecret",
      (request) => {
        const secret = secretOf(request);
        return {
          ARN: secret.arn,
          Name: secret.name,
          CreatedDate: created,
          LastChangedDate: created,
          VersionIdsToStages: { [VERSION_ID]: ["AWSCURRENT"] },
        };
      },
    ],
  ]);
  const dispatch = awsJsonDispatcher({
    targetPrefix: "secretsmanager.",
    serviceName: "Secrets Manager",
    operations,
    unknownTarget: () =>
      new AwsError("UnknownOperationException", "The requested operation is not recognized."),
    messageEnd: ".",
    internalError: new AwsError(
      "InternalServiceError",
      "Internal error in the Secrets Manager emulator.",
      500,
    ),
    log: options.log,
  });
  return {
    handler: (req, res) => void dispatch(req, res, () => bodyText(req)),
    reconfigure(next) {
      secrets = next;
    },
  };
}

async function bodyText(req: IncomingMessage): Promise<string> {
  const body = await readBody(req, { limit: MAX_BODY_BYTES, overflow: "discard" });
  if (body === "too-large") throw new AwsError("RequestEntityTooLarge", "Request body is too large.", 413);
  return body.toString("utf8");
}
