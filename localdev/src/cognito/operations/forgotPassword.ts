// ForgotPassword: sends a 1 h reset code where sign-up codes go; ConfirmForgotPassword redeems it.
import { startPasswordReset } from "../passwordReset.js";
import { codeRequestOperation } from "./codeRequest.js";

export const forgotPassword = codeRequestOperation(startPasswordReset);
