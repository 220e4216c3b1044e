// InitiateAuth: USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH; other flows are reported as not emulated.

import { NotEmulatedError } from "../../shared/awsError.js";
import { CognitoError, invalidParameter, notAuthorized, userNotFound } from "../errors.js";
import { newUuid } from "../ids.js";
import { ADMIN_SCOPE, type IssuedTokens, issueTokens, reissueTokens } from "../tokens.js";
import { customized } from "../triggers.js";
import { authenticate, checkSecretHash, findUser } from "../users.js";
import { type Operation, requireClient, requireString } from "./common.js";

const NOT_EMULATED_FLOWS = [
  "USER_SRP_AUTH",
  "CUSTOM_AUTH",
  "USER_AUTH",
  "ADMIN_NO_SRP_AUTH",
  "ADMIN_USER_PASSWORD_AUTH",
];

/** InitiateAuth's answer; RefreshToken only on a password sign-in (a refresh keeps the old one). */
function authenticationResult(tokens: IssuedTokens) {
  return {
    AuthenticationResult: {
      AccessToken: tokens.accessToken,
      ExpiresIn: tokens.expiresIn,
      TokenType: "Bearer",
      ...(tokens.refreshToken ? { RefreshToken: tokens.refreshToken } : {}),
      IdToken: tokens.idToken,
    },
    ChallengeParameters: {},
  };
}

export const initiateAuth: Operation = async (runtime, request) => {
  const flow = requireString(request, "AuthFlow");
  const { pool, client } = requireClient(runtime, request);
  const params = (request.AuthParameters ?? {}) as Record<string, unknown>;
  const now = runtime.clock.now();

  if (flow === "USER_PASSWORD_AUTH") {
    if (!client.explicitAuthFlows.includes("ALLOW_USER_PASSWORD_AUTH"))
      throw invalidParameter("USER_PASSWORD_AUTH flow not enabled for this client");
    const username = params.USERNAME;
    const password = params.PASSWORD;
    if (typeof username !== "string" || !username)
      throw invalidParameter("Missing required parameter USERNAME");
    if (typeof password !== "string" || !password)
      throw invalidParameter("Missing required parameter PASSWORD");
    checkSecretHash(client, username, params.SECRET_HASH);
    const user = await authenticate(
      runtime,
      pool,
      username,
      password,
      client.clientId,
      request.ClientMetadata,
    );
    if (!user) {
      if (!client.preventUserExistenceErrors && !findUser(pool, username)) throw userNotFound();
      throw notAuthorized();
    }
    if (user.status === "UNCONFIRMED")
      throw new CognitoError("UserNotConfirmedException", "User is not confirmed.");
    if (user.status === "FORCE_CHANGE_PASSWORD") {
      // The answer is Cognito's; answering it (RespondToAuthChallenge) is not emulated.
      return {
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: newUuid(),
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.username,
          requiredAttributes: "[]",
          userAttributes: JSON.stringify(user.attributes),
        },
      };
    }
    const tokens = await issueTokens({
      pool: pool.config,
      client,
      store: pool.store,
      user,
      scopes: [ADMIN_SCOPE],
      authTime: Math.floor(now / 1000),
      oauth: false,
      includeIdToken: true,
      includeRefreshToken: true,
      nowMs: now,
      ...(await customized(runtime, pool, user, client.clientId, "Authentication", [ADMIN_SCOPE])),
    });
    return authenticationResult(tokens);
  }

  if (flow === "REFRESH_TOKEN_AUTH" || flow === "REFRESH_TOKEN") {
    if (!client.explicitAuthFlows.includes("ALLOW_REFRESH_TOKEN_AUTH"))
      throw invalidParameter("REFRESH_TOKEN_AUTH flow not enabled for this client");
    const token = params.REFRESH_TOKEN;
    if (typeof token !== "string" || !token)
      throw invalidParameter("Missing required parameter REFRESH_TOKEN");
    const grant = pool.store.refreshGrant(token, client.clientId);
    if (!grant) throw notAuthorized("Invalid Refresh Token");
    const { user } = grant;
    // With a client secret, SECRET_HASH may be computed over the username or the sub.
    if (client.clientSecret) {
      try {
        checkSecretHash(client, user.username, params.SECRET_HASH);
      } catch {
        checkSecretHash(client, user.sub, params.SECRET_HASH);
      }
    }
    const tokens = await reissueTokens({
      pool: pool.config,
      client,
      store: pool.store,
      grant,
      oauth: false,
      nowMs: now,
      ...(await customized(runtime, pool, user, client.clientId, "RefreshTokens", grant.record.scopes)),
    });
    return authenticationResult(tokens);
  }

  if (NOT_EMULATED_FLOWS.includes(flow)) throw new NotEmulatedError(`InitiateAuth with AuthFlow ${flow}`);
  throw invalidParameter(
    `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set`,
  );
};
