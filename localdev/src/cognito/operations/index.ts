// The cognito-idp JSON API operations the kit emulates, by X-Amz-Target operation name.
import { adminConfirmSignUp } from "./adminConfirmSignUp.js";
import { adminCreateUser } from "./adminCreateUser.js";
import { adminDeleteUser } from "./adminDeleteUser.js";
import { adminDisableUser, adminEnableUser } from "./adminDisableUser.js";
import { adminGetUser } from "./adminGetUser.js";
import { adminSetUserPassword } from "./adminSetUserPassword.js";
import type { Operation } from "./common.js";
import { confirmForgotPassword } from "./confirmForgotPassword.js";
import { confirmSignUp } from "./confirmSignUp.js";
import { describeUserPoolClient } from "./describeUserPoolClient.js";
import { forgotPassword } from "./forgotPassword.js";
import { getUser } from "./getUser.js";
import { initiateAuth } from "./initiateAuth.js";
import { listUsers } from "./listUsers.js";
import { resendConfirmationCode } from "./resendConfirmationCode.js";
import { signUp } from "./signUp.js";

/** A Map, so no inherited property (`constructor`, `__proto__`) can pass for an operation. */
export const operations: ReadonlyMap<string, Operation> = new Map([
  ["SignUp", signUp],
  ["ConfirmSignUp", confirmSignUp],
  ["InitiateAuth", initiateAuth],
  ["AdminCreateUser", adminCreateUser],
  ["AdminSetUserPassword", adminSetUserPassword],
  ["AdminConfirmSignUp", adminConfirmSignUp],
  ["AdminGetUser", adminGetUser],
  ["AdminDeleteUser", adminDeleteUser],
  ["AdminDisableUser", adminDisableUser],
  ["AdminEnableUser", adminEnableUser],
  ["ListUsers", listUsers],
  ["GetUser", getUser],
  ["DescribeUserPoolClient", describeUserPoolClient],
  ["ResendConfirmationCode", resendConfirmationCode],
  ["ForgotPassword", forgotPassword],
  ["ConfirmForgotPassword", confirmForgotPassword],
]);
