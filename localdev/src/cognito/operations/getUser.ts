// GetUser: the signed-in user's own attributes, authorised by an access token with the admin scope.
import { notAuthorized } from "../errors.js";
import { ADMIN_SCOPE, verifyAccessToken } from "../tokens.js";
import { attributeList, type Operation, requireString } from "./common.js";

export const getUser: Operation = async (runtime, request) => {
  const token = requireString(request, "AccessToken");
  const check = await verifyAccessToken(token, (iss) => runtime.poolByIssuer(iss), runtime.clock.now());
  if (!check.ok)
    throw notAuthorized(check.reason === "expired" ? "Access Token has expired" : "Invalid Access Token");
  if (!check.token.scopes.includes(ADMIN_SCOPE))
    throw notAuthorized("Access Token does not have required scopes");
  const user = runtime.pool(check.token.poolId)?.store.user(check.token.username);
  if (!user) throw notAuthorized("Invalid Access Token");
  return { Username: user.username, UserAttributes: attributeList(user) };
};
