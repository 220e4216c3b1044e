// DescribeUserPoolClient: the app client's settings as Cognito reports them (validity in minutes).
import { resourceNotFound } from "../errors.js";
import { type Operation, requirePool, requireString } from "./common.js";

export const describeUserPoolClient: Operation = async (runtime, request) => {
  const pool = requirePool(runtime, request);
  const clientId = requireString(request, "ClientId");
  const client = pool.config.clients.find((c) => c.clientId === clientId);
  if (!client) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  return {
    UserPoolClient: {
      UserPoolId: pool.config.id,
      ClientName: client.clientName,
      ClientId: client.clientId,
      ...(client.clientSecret ? { ClientSecret: client.clientSecret } : {}),
      RefreshTokenValidity: client.refreshTokenValidityMinutes,
      AccessTokenValidity: client.accessTokenValidityMinutes,
      IdTokenValidity: client.idTokenValidityMinutes,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "minutes" },
      ExplicitAuthFlows: client.explicitAuthFlows,
      SupportedIdentityProviders: client.supportedIdentityProviders,
      CallbackURLs: client.callbackUrls,
      LogoutURLs: client.logoutUrls,
      AllowedOAuthFlows: client.allowedOAuthFlows,
      AllowedOAuthScopes: client.allowedOAuthScopes,
      AllowedOAuthFlowsUserPoolClient: client.allowedOAuthFlowsUserPoolClient,
      PreventUserExistenceErrors: client.preventUserExistenceErrors ? "ENABLED" : "LEGACY",
      EnableTokenRevocation: client.enableTokenRevocation,
    },
  };
};
