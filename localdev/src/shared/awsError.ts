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

// AWS operation names are PascalCase words; anything else (`constructor`, `__proto__`) names no operation.
const OPERATION_NAME = /^[A-Z][A-Za-z0-9]{0,127}$/;

/**
 * The error for an X-Amz-Target operation the kit has no handler for: a name that could be a real
 * operation is a gap (501 `FurlKit#NotEmulated`), any other string is the client's mistake, answered with
 * AWS's `UnknownOperationException` (400).
 */
export function missingOperationError(service: string, name: string): AwsError {
  return OPERATION_NAME.test(name)
    ? new NotEmulatedError(`${service} operation ${name}`)
    : new AwsError("UnknownOperationException", `Unknown operation ${JSON.stringify(name.slice(0, 128))}.`);
}
