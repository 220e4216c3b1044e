// ResendConfirmationCode: a new sign-up code for an unconfirmed user; the previous one stops working.
import { emailCodeDelivery } from "../codeDelivery.js";
import { CognitoError } from "../errors.js";
import { resendConfirmation } from "../passwordReset.js";
import { checkSecretHash, findUser } from "../users.js";
import { type Operation, requireClient, requireString } from "./common.js";

export const resendConfirmationCode: Operation = async (runtime, request) => {
  const { pool, client } = requireClient(runtime, request);
  const username = requireString(request, "Username");
  checkSecretHash(client, username, request.SecretHash);
  const user = findUser(pool, username);
  if (!user) {
    if (client.preventUserExistenceErrors) return emailCodeDelivery(`${username[0] ?? "x"}@x`) ?? {};
    throw new CognitoError("UserNotFoundException", "Username/client id combination not found.");
  }
  resendConfirmation(runtime, pool, user, client.clientId);
  return emailCodeDelivery(user.attributes.email) ?? {};
};
