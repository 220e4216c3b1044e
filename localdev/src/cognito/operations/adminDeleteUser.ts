// AdminDeleteUser: removes the user with its sessions, refresh tokens and pending codes.
import { requireUser } from "../users.js";
import { type Operation, requirePool } from "./common.js";

export const adminDeleteUser: Operation = async (runtime, request) => {
  const pool = requirePool(runtime, request);
  pool.store.deleteUser(requireUser(pool, request.Username).username);
  return {};
};
