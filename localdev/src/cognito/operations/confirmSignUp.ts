// ConfirmSignUp: the user proves the code sent at sign-up; becomes CONFIRMED with a verified email.
import { checkSecretHash, confirmUser, requireUser } from "../users.js";
import { type Operation, requireClient, requireString } from "./common.js";

export const confirmSignUp: Operation = async (runtime, request) => {
  const { pool, client } = requireClient(runtime, request);
  const username = requireString(request, "Username");
  checkSecretHash(client, username, request.SecretHash);
  const code = requireString(request, "ConfirmationCode");
  confirmUser(runtime, pool, requireUser(pool, username), code);
  return {};
};
