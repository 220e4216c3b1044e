// Cognito's errors: JSON API exceptions (`{"__type","message"}`) and OAuth 2.0 errors (`{"error"}`).
import { AwsError } from "../shared/awsError.js";

/** A cognito-idp JSON API exception with AWS's wire code, e.g. `UserNotFoundException`. */
export class CognitoError extends AwsError {
  constructor(code: string, message: string, status = 400) {
    super(code, message, status);
    this.name = "CognitoError";
  }
}

export const userNotFound = () => new CognitoError("UserNotFoundException", "User does not exist.");
export const notAuthorized = (message = "Incorrect username or password.") =>
  new CognitoError("NotAuthorizedException", message);
export const invalidParameter = (message: string) => new CognitoError("InvalidParameterException", message);
export const resourceNotFound = (message: string) => new CognitoError("ResourceNotFoundException", message);

/** An OAuth 2.0 endpoint error: `{"error": code}` with the status Cognito documents. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly status = 400,
    readonly description?: string,
  ) {
    super(description ?? error);
    this.name = "OAuthError";
  }
}
