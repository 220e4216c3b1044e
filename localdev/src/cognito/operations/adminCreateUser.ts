// AdminCreateUser: an administrator creates a user in FORCE_CHANGE_PASSWORD with a temporary password.
import { randomBytes } from "node:crypto";
import { NotEmulatedError } from "../../shared/awsError.js";
import { runTrigger } from "../triggers.js";
import { attributesFrom, checkPassword, createUser } from "../users.js";
import { type Operation, requirePool, requireString, userType } from "./common.js";

export const adminCreateUser: Operation = async (runtime, request) => {
  const pool = requirePool(runtime, request);
  const username = requireString(request, "Username");
  if (request.MessageAction === "RESEND")
    throw new NotEmulatedError("AdminCreateUser with MessageAction RESEND");
  const given = request.TemporaryPassword;
  // Without one, Cognito generates a temporary password and mails it; the kit logs that it made one.
  const temporary =
    typeof given === "string" && given
      ? checkPassword(pool, given)
      : `Aa1!${randomBytes(9).toString("base64url")}`;
  const attributes = attributesFrom(request.UserAttributes);
  // PreSignUp runs, but its autoConfirm/autoVerify answers are ignored for AdminCreateUser (reference §1).
  await runTrigger(runtime, pool, "PreSignUp", {
    triggerSource: "PreSignUp_AdminCreateUser",
    userName: username,
    userAttributes: Object.fromEntries(attributes),
    request: { validationData: null, clientMetadata: request.ClientMetadata ?? {} },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  const user = await createUser(runtime, pool, {
    username,
    password: temporary,
    attributes,
    status: "FORCE_CHANGE_PASSWORD",
    writer: { admin: true },
  });
  if (typeof given !== "string" || !given) {
    runtime.log.info("user created with a generated temporary password; set one with AdminSetUserPassword", {
      poolId: pool.config.id,
      username: user.username,
    });
  }
  return { User: userType(user) };
};
