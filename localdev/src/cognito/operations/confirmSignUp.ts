// ConfirmSignUp: the user proves the code sent at sign-up; becomes CONFIRMED with a verified email.
import { userNotFound } from "../errors.js";
import { checkSecretHash, codeMismatch, confirmUser, findUser } from "../users.js";
import { type Operation, requireClient, requireString } from "./common.js";

export const confirmSignUp: Operation = async (runtime, request) => {
  const { pool, client } = requireClient(runtime, request);
  const username = requireString(request, "Username");
  checkSecretHash(client, username, request.SecretHash);
  const code = requireString(request, "ConfirmationCode");
  const user = findUser(pool, username);
  // With PreventUserExistenceErrors, an unknown user gets the wrong-code answer (reference §2).
  if (!user) throw client.preventUserExistenceErrors ? codeMismatch() : userNotFound();
  await confirmUser(runtime, pool, user, code, client.clientId);
  return {};
};
