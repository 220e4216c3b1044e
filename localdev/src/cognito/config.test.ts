// Pool and client configuration from CloudFormation properties, with AWS defaults; id formats.
import { describe, expect, it } from "vitest";
import { userPoolConfigFromTemplate } from "./config.js";
import { newClientId, newClientSecret, newUserPoolId } from "./ids.js";

describe("Function: userPoolConfigFromTemplate", () => {
  it("applies Cognito's defaults for an almost empty template", () => {
    const config = userPoolConfigFromTemplate({
      id: "us-east-1_AbC123xyZ",
      region: "us-east-1",
      properties: {},
      clients: [{ clientId: "c1", properties: {} }],
    });
    expect(config.passwordPolicy).toMatchObject({
      minimumLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
    });
    expect(config.selfSignUpEnabled).toBe(true);
    expect(config.clients[0]).toMatchObject({
      accessTokenValidityMinutes: 60,
      idTokenValidityMinutes: 60,
      refreshTokenValidityMinutes: 30 * 1440,
      enableTokenRevocation: true,
      preventUserExistenceErrors: false,
      explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"],
    });
  });

  it("reads CDK-shaped properties with token validity units and string booleans", () => {
    const config = userPoolConfigFromTemplate({
      id: "us-east-1_AbC123xyZ",
      region: "us-east-1",
      domainPrefix: "furl-kit-123",
      properties: {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: "true" },
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
        UsernameAttributes: ["email"],
        Schema: [
          { Name: "email", Required: true },
          { Name: "name", Required: false },
        ],
      },
      clients: [
        {
          clientId: "c1",
          clientSecret: "s3cret",
          properties: {
            GenerateSecret: true,
            AccessTokenValidity: 2,
            IdTokenValidity: 30,
            RefreshTokenValidity: 1,
            TokenValidityUnits: { AccessToken: "hours", IdToken: "minutes", RefreshToken: "days" },
            ExplicitAuthFlows: ["USER_PASSWORD_AUTH"],
            PreventUserExistenceErrors: "ENABLED",
          },
        },
      ],
    });
    expect(config.selfSignUpEnabled).toBe(false);
    expect(config.passwordPolicy).toMatchObject({
      minimumLength: 12,
      requireNumbers: true,
      requireSymbols: false,
    });
    expect(config.requiredAttributes).toEqual(["email"]);
    expect(config.clients[0]).toMatchObject({
      clientSecret: "s3cret",
      accessTokenValidityMinutes: 120,
      idTokenValidityMinutes: 30,
      refreshTokenValidityMinutes: 1440,
      explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
      preventUserExistenceErrors: true,
    });
  });

  it("refuses a client with GenerateSecret but no secret", () => {
    expect(() =>
      userPoolConfigFromTemplate({
        id: "p",
        region: "us-east-1",
        properties: {},
        clients: [{ clientId: "c1", properties: { GenerateSecret: true } }],
      }),
    ).toThrow(/GenerateSecret/);
  });
});

describe("Function: id generators", () => {
  it("produce AWS formats", () => {
    expect(newUserPoolId("us-east-1")).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(newClientId()).toMatch(/^[a-z0-9]{26}$/);
    expect(newClientSecret()).toMatch(/^[a-z0-9]{51}$/);
  });
});
