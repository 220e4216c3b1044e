// ForgotPassword: sends a 1 h reset code where sign-up codes go; ConfirmForgotPassword redeems it.
import { emailCodeDelivery } from "../codeDelivery.js";
import { CognitoError } from "../errors.js";
import { startPasswordReset } from "../passwordReset.js";
import { checkSecretHash, findUser } from "../users.js";
import { type Operation, requireClient, requireString } from "./common.js";

export const forgotPassword: Operation = async (runtime, request) => {
  const { pool, client } = requireClient(runtime, request);
  const username = requireString(request, "Username");
  checkSecretHash(client, username, request.SecretHash);
  const user = findUser(pool, username);
  if (!user) {
    // With PreventUserExistenceErrors an unknown user gets a simulated delivery, so nobody learns who exists.
    if (client.preventUserExistenceErrors) return emailCodeDelivery(`${username[0] ?? "x"}@x`) ?? {};
    // The wording real pools answer for an unknown user here (not "User does not exist.").
    throw new CognitoError("UserNotFoundException", "Username/client id combination not found.");
  }
  startPasswordReset(runtime, pool, user, client.clientId);
  return emailCodeDelivery(user.attributes.email) ?? {};
};
