// Settings: defaults, `-c` context parsing and validation messages.
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, InvalidSettingError, settingsFromContext, validateSettings } from "./settings.js";

const context = (values: Record<string, unknown>) => (key: string) => values[key];

describe("settingsFromContext", () => {
  it("reads comma-separated countries, a numeric rate limit, the site origin and the target", () => {
    expect(
      settingsFromContext(
        context({
          allowedCountries: "us, CA,MX",
          rateLimit: "200",
          siteOrigin: "https://x.example/",
          target: "localstack",
        }),
      ),
    ).toEqual({
      allowedCountries: ["US", "CA", "MX"],
      rateLimit: 200,
      siteOrigin: "https://x.example",
      target: "localstack",
    });
  });

  it("accepts JSON arrays from cdk.json and leaves unset keys out", () => {
    expect(settingsFromContext(context({ allowedCountries: ["us", "ca"] }))).toEqual({
      allowedCountries: ["US", "CA"],
    });
    expect(settingsFromContext(context({}))).toEqual({});
  });
});

describe("validateSettings", () => {
  it("defaults to US and CA, 100 requests per 5 minutes, the aws target and the Amplify origin", () => {
    expect(validateSettings()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toEqual({ allowedCountries: ["US", "CA"], rateLimit: 100, target: "aws" });
  });

  it.each([
    [{ allowedCountries: [] }, /at least one country/],
    [{ allowedCountries: ["USA"] }, /"USA" is not an ISO 3166 alpha-2 code/],
    [{ rateLimit: Number("abc") }, /rateLimit must be an integer from 10/],
    [{ rateLimit: 5 }, /rateLimit must be an integer from 10/],
    [{ siteOrigin: "https://example.com/app" }, /siteOrigin must be a scheme and host/],
    [{ target: "azure" as never }, /target must be "aws" or "localstack"/],
  ])("rejects %j with a message naming the setting", (partial, message) => {
    expect(() => validateSettings(partial)).toThrow(InvalidSettingError);
    expect(() => validateSettings(partial)).toThrow(message);
  });
});

describe("localIdentity", () => {
  const identity = {
    cognitoDomainUrl: "http://furl-kit:3001",
    clientId: "abc123",
    userPoolId: "us-east-1_AbC123xyZ",
    jwksUri: "http://furl-kit:3001/us-east-1_AbC123xyZ/.well-known/jwks.json",
    redirectUri: "http://localhost:3000/",
  };

  it("reads one JSON context value, or one context value per key", () => {
    expect(settingsFromContext(context({ localIdentity: JSON.stringify(identity) }))).toEqual({
      localIdentity: identity,
    });
    expect(settingsFromContext(context({ ...identity }))).toEqual({ localIdentity: identity });
  });

  it("rejects unreadable JSON with a message naming the keys", () => {
    expect(() => settingsFromContext(context({ localIdentity: "{nope" }))).toThrow(
      /cognitoDomainUrl, clientId/,
    );
  });

  it.each([
    [{ ...identity, userPoolId: "local_123" }, /userPoolId must look like us-east-1_/],
    [{ ...identity, redirectUri: "http://localhost:3000" }, /redirectUri must end with "\/"/],
    [{ ...identity, jwksUri: "furl-kit/jwks.json" }, /jwksUri must be an http\(s\) URL/],
  ])("rejects %j for the localstack target", (localIdentity, message) => {
    expect(() => validateSettings({ target: "localstack", localIdentity })).toThrow(message);
  });

  it("is not needed for the aws target", () => {
    expect(validateSettings({ target: "aws" }).target).toBe("aws");
  });
});
