// AdminDisableUser / AdminEnableUser: a disabled user cannot sign in, and loses its sessions and refresh tokens.
import { requireUser } from "../users.js";
import { type Operation, requirePool } from "./common.js";

function setEnabled(enabled: boolean): Operation {
  return async (runtime, request) => {
    const pool = requirePool(runtime, request);
    const user = requireUser(pool, request.Username);
    pool.store.putUser({ ...user, enabled, updatedAt: runtime.clock.now() });
    if (!enabled) pool.store.signOutEverywhere(user.username);
    return {};
  };
}

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDisableUser.html */
export const adminDisableUser = setEnabled(false);
/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminEnableUser.html */
export const adminEnableUser = setEnabled(true);
