// Custom resource properties: accepted shapes, clear rejections, Secrets Manager reference names.
import { describe, expect, it } from "vitest";
import { InvalidPropertiesError, parseProperties } from "./valueFrom.js";

describe("parseProperties", () => {
  it("reads a Cognito client secret source", () => {
    expect(
      parseProperties({
        ParameterName: "/furl-kit/FurlKit/client-secret",
        ValueFrom: { CognitoClientSecret: { UserPoolId: "us-east-1_X", ClientId: "c1" } },
      }),
    ).toEqual({
      parameterName: "/furl-kit/FurlKit/client-secret",
      source: { kind: "CognitoClientSecret", userPoolId: "us-east-1_X", clientId: "c1" },
    });
  });

  it("reads a Secrets Manager source", () => {
    expect(
      parseProperties({ ParameterName: "/a/b", ValueFrom: { SecretsManagerSecretId: "my-secret" } }).source,
    ).toEqual({ kind: "SecretsManagerSecret", secretId: "my-secret" });
  });

  it.each([
    [{ ValueFrom: { SecretsManagerSecretId: "s" } }, /ParameterName must be an SSM path/],
    [
      { ParameterName: "no-slash", ValueFrom: { SecretsManagerSecretId: "s" } },
      /ParameterName must be an SSM path/,
    ],
    [{ ParameterName: "/a" }, /exactly one of/],
    [
      { ParameterName: "/a", ValueFrom: { SecretsManagerSecretId: "s", CognitoClientSecret: {} } },
      /exactly one of/,
    ],
    [
      { ParameterName: "/a", ValueFrom: { CognitoClientSecret: { UserPoolId: "p" } } },
      /needs UserPoolId and ClientId/,
    ],
    [{ ParameterName: "/a", ValueFrom: { SecretsManagerSecretId: "" } }, /secret ARN or name/],
    [{ ParameterName: "/a", ValueFrom: { Plain: "x" } }, /unknown key "Plain"/],
  ])("rejects %j", (props, message) => {
    expect(() => parseProperties(props)).toThrow(InvalidPropertiesError);
    expect(() => parseProperties(props)).toThrow(message);
  });
});
