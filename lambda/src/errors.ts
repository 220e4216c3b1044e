// Errors the handler turns into HTTP answers: each carries its status, a public message and a log reason.

/** Options shared by every handler error. */
export interface HandlerErrorOptions {
  /** Short, non-secret reason for the log line, e.g. "invalid_grant". */
  reason: string;
  /** The underlying error; only its `name` is ever logged. */
  cause?: unknown;
}

/**
 * Base of every error the handler answers with a JSON `{ message }` body.
 * `message` is safe to show to the caller: it never holds a secret, code or token.
 */
export abstract class HandlerError extends Error {
  abstract readonly status: number;
  readonly reason: string;

  constructor(message: string, options: HandlerErrorOptions) {
    super(message, { cause: options.cause });
    this.reason = options.reason;
  }
}

/** Thrown when the body is not JSON, has wrong types, or is too large (400). */
export class BadRequestError extends HandlerError {
  override readonly name = "BadRequestError";
  readonly status = 400;

  constructor(detail: string, options: HandlerErrorOptions) {
    super(`Bad request: ${detail}`, options);
  }
}

/**
 * Thrown when the caller is not signed in: no code (guest), a code Cognito refuses
 * (invalid, expired, reused, another client's), or an access token that fails verification (401).
 */
export class NotAuthorizedError extends HandlerError {
  override readonly name = "NotAuthorizedError";
  readonly status = 401;

  constructor(detail: string, options: HandlerErrorOptions) {
    super(`Not authorized: ${detail}`, options);
  }
}

/** Thrown when `x-origin-verify` is missing or wrong, i.e. the Function URL was called directly (403). */
export class OriginVerificationError extends HandlerError {
  override readonly name = "OriginVerificationError";
  readonly status = 403;

  constructor(options: HandlerErrorOptions) {
    super("Forbidden: requests must come through the CloudFront distribution.", options);
  }
}

/** Thrown for any method other than POST (and OPTIONS preflights, which get 204). */
export class MethodNotAllowedError extends HandlerError {
  override readonly name = "MethodNotAllowedError";
  readonly status = 405;

  constructor(method: string) {
    super("Method not allowed: use POST.", { reason: `method ${method}` });
  }
}

/**
 * Thrown when the sign-in service misbehaves: the token endpoint or the JWKS is unreachable,
 * times out, answers 5xx or garbage, or rejects our client credentials (502).
 */
export class UpstreamError extends HandlerError {
  override readonly name: string = "UpstreamError";
  readonly status = 502;
}

/** Thrown by the JWKS fetcher when the signing keys cannot be downloaded (502). */
export class JwksUnavailableError extends UpstreamError {
  override readonly name = "JwksUnavailableError";

  constructor(options: HandlerErrorOptions) {
    super("Could not reach the sign-in service to get its signing keys.", options);
  }
}

/** Thrown when configuration cannot be loaded from SSM (failure, timeout, missing or bad parameters) (503). */
export class ConfigError extends HandlerError {
  override readonly name = "ConfigError";
  readonly status = 503;

  constructor(detail: string, options: HandlerErrorOptions) {
    super(`Service unavailable: ${detail}`, options);
  }
}

/** Name of an unknown thrown value, for logs (never its message, which may quote a token). */
export function errorName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  // aws-jwt-verify's errors keep the default name "Error"; their class name says what failed.
  if (error.name === "Error" && error.constructor.name) return error.constructor.name;
  return error.name;
}
