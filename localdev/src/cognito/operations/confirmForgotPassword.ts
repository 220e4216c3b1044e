// ConfirmForgotPassword: the reset code from ForgotPassword and a new password that meets the policy.
import { CognitoError } from "../errors.js";
import { confirmPasswordReset } from "../passwordReset.js";
import { checkSecretHash, findUser } from "../users.js";
import { type Operation, requireClient, requireString } from "./common.js";

export const confirmForgotPassword: Operation = async (runtime, request) => {
  const { pool, client } = requireClient(runtime, request);
  const username = requireString(request, "Username");
  checkSecretHash(client, username, request.SecretHash);
  const code = requireString(request, "ConfirmationCode");
  const password = requireString(request, "Password");
  const user = findUser(pool, username);
  if (!user) {
    // PreventUserExistenceErrors: an unknown user looks like a wrong code.
    if (client.preventUserExistenceErrors)
      throw new CognitoError(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
      );
    throw new CognitoError("UserNotFoundException", "Username/client id combination not found.");
  }
  await confirmPasswordReset(runtime, pool, user, code, password);
  return {};
};
