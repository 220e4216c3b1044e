// The Function URL handler: config -> origin check -> method -> body -> code exchange -> verification.
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { exchangeCode } from "./codeExchange.js";
import { createConfigLoader, createSsmClient } from "./config.js";
import { errorName, HandlerError, NotAuthorizedError } from "./errors.js";
import { createLogger, type LogLevel, type LogWriter } from "./log.js";
import { assertFromCloudFront } from "./originCheck.js";
import { assertPost, isPreflight, readSignInCode } from "./request.js";
import {
  authenticated,
  type FunctionUrlResult,
  fromHandlerError,
  internalError,
  preflightAccepted,
} from "./responses.js";
import { createTokenVerifier } from "./verifier.js";

/** A Function URL handler (payload format 2.0). */
export type FunctionUrlHandler = (event: LambdaFunctionURLEvent) => Promise<FunctionUrlResult>;

/** Dependencies and limits of {@link createHandler}; every field has a production default. */
export interface HandlerOptions {
  /** Defaults to {@link createSsmClient}(), which honours AWS_ENDPOINT_URL_SSM. */
  ssmClient?: SSMClient;
  /** Where CONFIG_PARAMETER_PREFIX is read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Bounds on each dependency call, in milliseconds (defaults 3000 each). */
  timeouts?: { ssmMs?: number; tokenMs?: number; jwksMs?: number };
  /** Receives each JSON log line; defaults to console.log. */
  writeLog?: LogWriter;
}

/**
 * Creates a handler with its own warm state (config cache, verifiers, cold-start flag).
 * Create it once at module scope so the state survives warm invocations.
 * @example export const handler = createHandler();
 */
export function createHandler(options: HandlerOptions = {}): FunctionUrlHandler {
  const timeouts = options.timeouts ?? {};
  const configLoader = createConfigLoader({
    ssmClient: options.ssmClient ?? createSsmClient({ requestTimeoutMs: timeouts.ssmMs }),
    env: options.env,
    timeoutMs: timeouts.ssmMs,
  });
  const verifier = createTokenVerifier({ jwksTimeoutMs: timeouts.jwksMs });
  const logger = createLogger(options.writeLog);
  let coldStart = true;

  return async (event) => {
    const startedAt = performance.now();
    const isColdStart = coldStart;
    coldStart = false;
    // Values masked in the log line should any of them slip into a field.
    const sensitive: string[] = [];

    let result: FunctionUrlResult;
    let reason: string;
    let level: LogLevel = "info";
    let errorType: string | undefined;
    try {
      const config = await configLoader.load();
      sensitive.push(config.clientSecret, config.originSecret, config.clientId);
      assertFromCloudFront(event, config.originSecret);
      if (isPreflight(event)) {
        // CloudFront forwards CORS preflights to the origin; its response headers policy adds the grant.
        result = preflightAccepted();
        reason = "preflight";
      } else {
        assertPost(event);
        const code = readSignInCode(event);
        if (code === undefined) {
          throw new NotAuthorizedError("no sign-in code (guest)", { reason: "guest" });
        }
        sensitive.push(code);
        const tokens = await exchangeCode({ config, code, timeoutMs: timeouts.tokenMs });
        sensitive.push(...[tokens.accessToken, tokens.idToken, tokens.refreshToken].filter(isString));
        const { username } = await verifier.verifyAccessToken(config, tokens.accessToken);
        result = authenticated(username);
        reason = "authenticated";
      }
    } catch (error) {
      if (error instanceof HandlerError) {
        result = fromHandlerError(error);
        reason = error.reason;
        level = error.status >= 500 ? "error" : error.status === 403 ? "warn" : "info";
      } else {
        result = internalError();
        reason = "unexpected error";
        level = "error";
      }
      errorType = errorName(error);
    }

    logger.log(
      level,
      "request finished",
      {
        status: result.statusCode,
        reason,
        errorType,
        durationMs: Math.round(performance.now() - startedAt),
        coldStart: isColdStart,
        requestId: event?.requestContext?.requestId,
      },
      sensitive,
    );
    return result;
  };
}

function isString(value: string | undefined): value is string {
  return typeof value === "string";
}
