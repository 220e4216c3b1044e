// config.json URLs: hosted UI authorize/logout links with an encoded redirect, token-safe.
import { Token } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { encodeUrlParam, webConfig } from "./site.js";

describe("webConfig", () => {
  it("builds the sign-in, sign-out and API URLs the page needs", () => {
    expect(
      webConfig({
        domainUrl: "https://furl-kit-1.auth.us-east-1.amazoncognito.com",
        clientId: "abc123",
        siteUrl: "https://main.d1abc.amplifyapp.com/",
        apiUrl: "https://d111.cloudfront.net/",
      }),
    ).toEqual({
      signInUrl:
        "https://furl-kit-1.auth.us-east-1.amazoncognito.com/oauth2/authorize?client_id=abc123&response_type=code&scope=openid+email&redirect_uri=https%3A%2F%2Fmain.d1abc.amplifyapp.com%2F",
      signOutUrl:
        "https://furl-kit-1.auth.us-east-1.amazoncognito.com/logout?client_id=abc123&logout_uri=https%3A%2F%2Fmain.d1abc.amplifyapp.com%2F",
      apiUrl: "https://d111.cloudfront.net/",
    });
  });
});

describe("encodeUrlParam", () => {
  it("encodes literal parts and keeps CDK tokens intact", () => {
    const domain = Token.asString({ Ref: "Domain" });
    const encoded = encodeUrlParam(`https://main.${domain}/`);
    expect(encoded).toBe(`https%3A%2F%2Fmain.${domain}%2F`);
    expect(encodeUrlParam("http://localhost:5173/")).toBe("http%3A%2F%2Flocalhost%3A5173%2F");
  });
});
