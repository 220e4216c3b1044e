// SignUp: a self-service registration through an app client; the user starts UNCONFIRMED.
import { emailCodeDelivery } from "../codeDelivery.js";
import { notAuthorized } from "../errors.js";
import { attributesFrom, checkPassword, checkSecretHash, registerUser } from "../users.js";
import { type Operation, requireClient, requireString } from "./common.js";

export const signUp: Operation = async (runtime, request) => {
  const { pool, client } = requireClient(runtime, request);
  const username = requireString(request, "Username");
  checkSecretHash(client, username, request.SecretHash);
  if (!pool.config.selfSignUpEnabled) throw notAuthorized("SignUp is not permitted for this user pool");
  const password = checkPassword(pool, request.Password);
  const { user, confirmed } = await registerUser(runtime, pool, client, {
    username,
    password,
    attributes: attributesFrom(request.UserAttributes),
    validationData: request.ValidationData,
    clientMetadata: request.ClientMetadata,
  });
  if (confirmed) return { UserConfirmed: true, UserSub: user.sub };
  return { UserConfirmed: false, UserSub: user.sub, ...emailCodeDelivery(user.attributes.email) };
};
