// AdminConfirmSignUp: confirms an UNCONFIRMED user without a code (the email stays unverified).
import { notAuthorized } from "../errors.js";
import { markConfirmed, postConfirmation, requireUser } from "../users.js";
import { type Operation, requirePool } from "./common.js";

export const adminConfirmSignUp: Operation = async (runtime, request) => {
  const pool = requirePool(runtime, request);
  const user = requireUser(pool, request.Username);
  if (user.status !== "UNCONFIRMED")
    throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  pool.store.deleteConfirmation(user.username);
  await postConfirmation(
    runtime,
    pool,
    markConfirmed(runtime, pool, user, false),
    undefined,
    "ConfirmSignUp",
  );
  return {};
};
