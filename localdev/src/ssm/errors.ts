// SSM's own error codes (AWS JSON 1.1 `__type`), all status 400 like the real service.
import { AwsError } from "../shared/awsError.js";

export class ParameterNotFoundError extends AwsError {
  constructor(name: string) {
    super("ParameterNotFound", `Parameter ${name} not found.`);
  }
}

export class ParameterAlreadyExistsError extends AwsError {
  constructor() {
    super(
      "ParameterAlreadyExists",
      "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
    );
  }
}

export class ValidationError extends AwsError {
  constructor(message: string) {
    super("ValidationException", message);
  }
}

export class InvalidNextTokenError extends AwsError {
  constructor() {
    super("InvalidNextToken", "The specified token is not valid.");
  }
}

export class UnknownOperationError extends AwsError {
  constructor() {
    super("UnknownOperationException", "Missing or malformed X-Amz-Target header.");
  }
}
