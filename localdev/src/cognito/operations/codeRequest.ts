// The shape ForgotPassword and ResendConfirmationCode share: find the user, send a code, say where it went.
import { emailCodeDelivery } from "../codeDelivery.js";
import { CognitoError } from "../errors.js";
import type { StoredUser } from "../poolStore.js";
import type { CognitoRuntime, Pool } from "../runtime.js";
import { checkSecretHash, findUser } from "../users.js";
import { type Operation, requireClient, requireString } from "./common.js";

type SendCode = (
  runtime: CognitoRuntime,
  pool: Pool,
  user: StoredUser,
  clientId: string,
) => void | Promise<void>;

/** An operation that sends `sendCode`'s code to the user's email and answers its CodeDeliveryDetails. */
export function codeRequestOperation(sendCode: SendCode): Operation {
  return async (runtime, request) => {
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
    await sendCode(runtime, pool, user, client.clientId);
    return emailCodeDelivery(user.attributes.email) ?? {};
  };
}
