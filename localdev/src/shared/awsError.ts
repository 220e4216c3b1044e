// Errors the emulators answer with: AWS's wire code and status, serialised in one place per protocol.

/** An error AWS itself would return, e.g. `ParameterNotFound` (400). */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "AwsError";
  }
}

/**
 * A feature the kit does not emulate. Its `__type` is `FurlKit#NotEmulated`, so a gap can never
 * pass for a real AWS answer.
 */
export class NotEmulatedError extends AwsError {
  constructor(what: string) {
    super("FurlKit#NotEmulated", `${what} is not emulated by furl-kit`, 501);
    this.name = "NotEmulatedError";
  }
}

/** Body of an AWS JSON 1.1 protocol error: `{"__type","message"}`. */
export function awsJsonErrorBody(error: AwsError): { __type: string; message: string } {
  return { __type: error.code, message: error.message };
}
