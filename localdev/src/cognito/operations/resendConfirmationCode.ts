// ResendConfirmationCode: a new sign-up code for an unconfirmed user; the previous one stops working.
import { resendConfirmation } from "../passwordReset.js";
import { codeRequestOperation } from "./codeRequest.js";

export const resendConfirmationCode = codeRequestOperation(resendConfirmation);
