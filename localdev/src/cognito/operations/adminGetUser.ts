// AdminGetUser: one user's attributes and status.
import { requireUser } from "../users.js";
import { type Operation, requirePool, userType } from "./common.js";

export const adminGetUser: Operation = async (runtime, request) => {
  const pool = requirePool(runtime, request);
  return userType(requireUser(pool, request.Username), "UserAttributes");
};
