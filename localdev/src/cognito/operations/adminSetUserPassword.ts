// AdminSetUserPassword: sets a permanent (CONFIRMED) or temporary (FORCE_CHANGE_PASSWORD) password.
import { hashPassword } from "../passwords.js";
import { checkPassword, requireUser } from "../users.js";
import { type Operation, requirePool } from "./common.js";

export const adminSetUserPassword: Operation = async (runtime, request) => {
  const pool = requirePool(runtime, request);
  const user = requireUser(pool, request.Username);
  const password = checkPassword(pool, request.Password);
  const passwordHash = await hashPassword(password);
  const current = pool.store.user(user.username) ?? user;
  pool.store.putUser({
    ...current,
    passwordHash,
    status: request.Permanent === true ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD",
    updatedAt: runtime.clock.now(),
  });
  return {};
};
