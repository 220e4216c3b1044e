// Path patterns, origin request policy filtering and response headers policies, without HTTP.
import { describe, expect, it } from "vitest";
import { compilePathPattern } from "./behaviors.js";
import { MANAGED_ORIGIN_REQUEST_POLICIES } from "./managedPolicies.js";
import { compileOriginRequestPolicy, policyFromForwardedValues } from "./originRequestPolicy.js";
import { compileResponseHeadersPolicy, type ResponseHeaders } from "./responseHeadersPolicy.js";

describe("compilePathPattern", () => {
  it("matches CloudFront wildcards, case-sensitively, with or without the leading slash", () => {
    const images = compilePathPattern("images/*.jpg");
    expect(images("/images/a/b.jpg")).toBe(true);
    expect(images("/images/a.JPG")).toBe(false);
    expect(compilePathPattern("/api/v?/*")("/api/v2/x")).toBe(true);
    expect(compilePathPattern("/api/v?/*")("/api/v10/x")).toBe(false);
    expect(compilePathPattern("*")("/anything")).toBe(true);
  });
});

describe("compileOriginRequestPolicy", () => {
  it("knows AllViewerExceptHostHeader: every viewer header but Host, plus CloudFront viewer headers", () => {
    const policy = compileOriginRequestPolicy(
      MANAGED_ORIGIN_REQUEST_POLICIES["b689b0a8-53d0-40ab-baf2-68738e2966ac"]!,
    );
    expect(policy.forwardsHeader("authorization")).toBe(true);
    expect(policy.forwardsHeader("host")).toBe(false);
    expect(policy.cloudFrontHeaders).toContain("cloudfront-viewer-country");
    expect(policy.queryString("a=1&b=2")).toBe("a=1&b=2");
    expect(policy.cookies("a=1")).toBe("a=1");
  });

  it("filters cookies and query strings of a custom whitelist policy", () => {
    const policy = compileOriginRequestPolicy({
      OriginRequestPolicyConfig: {
        Name: "custom",
        HeadersConfig: { HeaderBehavior: "whitelist", Headers: ["X-Api-Key", "CloudFront-Viewer-Country"] },
        CookiesConfig: { CookieBehavior: "whitelist", Cookies: ["session"] },
        QueryStringsConfig: { QueryStringBehavior: "allExcept", QueryStrings: ["debug"] },
      },
    });
    expect(policy.forwardsHeader("x-api-key")).toBe(true);
    expect(policy.forwardsHeader("user-agent")).toBe(false);
    expect(policy.cloudFrontHeaders).toEqual(["cloudfront-viewer-country"]);
    expect(policy.cookies("theme=dark; session=abc; other=1")).toBe("session=abc");
    expect(policy.cookies("theme=dark")).toBeUndefined();
    expect(policy.queryString("a=1&debug=true&b=2")).toBe("a=1&b=2");
  });

  it("turns legacy ForwardedValues into an equivalent policy", () => {
    const policy = compileOriginRequestPolicy(
      policyFromForwardedValues({ QueryString: false, Headers: ["Origin"], Cookies: { Forward: "none" } }),
    );
    expect(policy.forwardsHeader("origin")).toBe(true);
    expect(policy.forwardsHeader("referer")).toBe(false);
    expect(policy.queryString("a=1")).toBe("");
  });
});

describe("compileResponseHeadersPolicy", () => {
  const cors = (extra: Record<string, unknown> = {}) =>
    compileResponseHeadersPolicy({
      CorsConfig: {
        AccessControlAllowCredentials: false,
        AccessControlAllowHeaders: { Items: ["*"] },
        AccessControlAllowMethods: { Items: ["ALL"] },
        AccessControlAllowOrigins: { Items: ["https://*.example.com"] },
        OriginOverride: false,
        ...extra,
      },
      CustomHeadersConfig: { Items: [{ Header: "X-Kit", Value: "1", Override: true }] },
      RemoveHeadersConfig: { Items: [{ Header: "X-Powered-By" }] },
    });

  it("allows subdomain wildcards and keeps the origin's header when OriginOverride is false", () => {
    const headers: ResponseHeaders = {
      "access-control-allow-origin": "https://mine.example.com",
      "x-powered-by": "x",
    };
    cors()({ method: "GET", origin: "https://app.example.com", isPreflight: false }, headers);
    expect(headers["access-control-allow-origin"]).toBe("https://mine.example.com");
    expect(headers["x-kit"]).toBe("1");
    expect(headers["x-powered-by"]).toBeUndefined();
  });

  it("answers a preflight with all methods for ALL, and nothing for an unlisted origin", () => {
    const headers: ResponseHeaders = {};
    cors()({ method: "OPTIONS", origin: "https://app.example.com", isPreflight: true }, headers);
    expect(headers["access-control-allow-methods"]).toBe("GET, DELETE, HEAD, OPTIONS, PATCH, POST, PUT");
    expect(headers["access-control-allow-headers"]).toBe("*");
    const other: ResponseHeaders = {};
    cors()({ method: "OPTIONS", origin: "https://example.org", isPreflight: true }, other);
    expect(other["access-control-allow-origin"]).toBeUndefined();
  });
});
