// Path patterns, origin request policy filtering and response headers policies, without HTTP.
import { OriginRequestPolicy, ResponseHeadersPolicy } from "aws-cdk-lib/aws-cloudfront";
import { describe, expect, it } from "vitest";
import { compilePathPattern } from "./behaviors.js";
import { MANAGED_ORIGIN_REQUEST_POLICIES, MANAGED_RESPONSE_HEADERS_POLICIES } from "./managedPolicies.js";
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

describe("CloudFront's managed policies, as AWS documents them", () => {
  const origin = (id: string) => compileOriginRequestPolicy(MANAGED_ORIGIN_REQUEST_POLICIES[id]!);
  const response = (id: string) => compileResponseHeadersPolicy(MANAGED_RESPONSE_HEADERS_POLICIES[id]!);

  it("has every managed policy CDK names, under the ID CDK writes into the template", () => {
    const originPolicies = [
      "USER_AGENT_REFERER_HEADERS",
      "CORS_CUSTOM_ORIGIN",
      "CORS_S3_ORIGIN",
      "ALL_VIEWER",
      "ELEMENTAL_MEDIA_TAILOR",
      "ALL_VIEWER_AND_CLOUDFRONT_2022",
      "ALL_VIEWER_EXCEPT_HOST_HEADER",
      "HOST_HEADER_ONLY",
    ] as const;
    for (const name of originPolicies) {
      const id = OriginRequestPolicy[name].originRequestPolicyId;
      expect(MANAGED_ORIGIN_REQUEST_POLICIES[id], name).toBeDefined();
    }
    const responsePolicies = [
      "CORS_ALLOW_ALL_ORIGINS",
      "CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT",
      "SECURITY_HEADERS",
      "CORS_ALLOW_ALL_ORIGINS_AND_SECURITY_HEADERS",
      "CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT_AND_SECURITY_HEADERS",
    ] as const;
    for (const name of responsePolicies) {
      const id = ResponseHeadersPolicy[name].responseHeadersPolicyId;
      expect(MANAGED_RESPONSE_HEADERS_POLICIES[id], name).toBeDefined();
    }
    expect(Object.keys(MANAGED_ORIGIN_REQUEST_POLICIES)).toHaveLength(originPolicies.length);
    expect(Object.keys(MANAGED_RESPONSE_HEADERS_POLICIES)).toHaveLength(responsePolicies.length);
  });

  it("CORS_CUSTOM_ORIGIN forwards Origin only: no other header, query string or cookie", () => {
    const policy = origin(OriginRequestPolicy.CORS_CUSTOM_ORIGIN.originRequestPolicyId);
    expect(policy.forwardsHeader("origin")).toBe(true);
    for (const name of ["user-agent", "authorization", "host", "access-control-request-method"]) {
      expect(policy.forwardsHeader(name), name).toBe(false);
    }
    expect(policy.queryString("a=1")).toBe("");
    expect(policy.cookies("a=1")).toBeUndefined();
    expect(policy.cloudFrontHeaders).toEqual([]);
  });

  it("CORS_S3_ORIGIN adds the two preflight request headers", () => {
    const policy = origin(OriginRequestPolicy.CORS_S3_ORIGIN.originRequestPolicyId);
    for (const name of ["origin", "access-control-request-headers", "access-control-request-method"]) {
      expect(policy.forwardsHeader(name), name).toBe(true);
    }
    expect(policy.forwardsHeader("user-agent")).toBe(false);
    expect(policy.queryString("a=1")).toBe("");
  });

  it("ALL_VIEWER_EXCEPT_HOST_HEADER, USER_AGENT_REFERER_HEADERS, HOST_HEADER_ONLY", () => {
    const except = origin(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId);
    expect([except.forwardsHeader("x-anything"), except.forwardsHeader("host")]).toEqual([true, false]);
    const uaReferer = origin(OriginRequestPolicy.USER_AGENT_REFERER_HEADERS.originRequestPolicyId);
    expect([uaReferer.forwardsHeader("referer"), uaReferer.forwardsHeader("origin")]).toEqual([true, false]);
    expect(uaReferer.queryString("a=1")).toBe("");
    const hostOnly = origin(OriginRequestPolicy.HOST_HEADER_ONLY.originRequestPolicyId);
    expect([hostOnly.forwardsHeader("host"), hostOnly.forwardsHeader("origin")]).toEqual([true, false]);
  });

  it("SECURITY_HEADERS: nosniff always, the other headers only where the origin set none", () => {
    const headers: ResponseHeaders = { "x-content-type-options": "sniff-me", "x-frame-options": "DENY" };
    response(ResponseHeadersPolicy.SECURITY_HEADERS.responseHeadersPolicyId)(
      { method: "GET", origin: undefined, isPreflight: false },
      headers,
    );
    expect(headers).toEqual({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
      "strict-transport-security": "max-age=31536000",
      "x-xss-protection": "1; mode=block",
    });
  });

  it("CORS_ALLOW_ALL_ORIGINS adds only Access-Control-Allow-Origin: *, keeping the origin's own", () => {
    const policy = response(ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS.responseHeadersPolicyId);
    const simple: ResponseHeaders = {};
    policy({ method: "GET", origin: "https://any.example", isPreflight: false }, simple);
    expect(simple).toEqual({ "access-control-allow-origin": "*" });
    const preflight: ResponseHeaders = {};
    policy({ method: "OPTIONS", origin: "https://any.example", isPreflight: true }, preflight);
    expect(preflight).toEqual({ "access-control-allow-origin": "*" });
    const own: ResponseHeaders = { "access-control-allow-origin": "https://mine.example" };
    policy({ method: "GET", origin: "https://any.example", isPreflight: false }, own);
    expect(own["access-control-allow-origin"]).toBe("https://mine.example");
    const noOrigin: ResponseHeaders = {};
    policy({ method: "GET", origin: undefined, isPreflight: false }, noOrigin);
    expect(noOrigin).toEqual({});
  });

  it("CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT answers a preflight with all three headers, a simple request with one", () => {
    const policy = response(
      ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT.responseHeadersPolicyId,
    );
    const preflight: ResponseHeaders = {};
    policy({ method: "OPTIONS", origin: "https://any.example", isPreflight: true }, preflight);
    expect(preflight).toEqual({
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET, HEAD, PUT, POST, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers": "*",
    });
    const simple: ResponseHeaders = {};
    policy({ method: "POST", origin: "https://any.example", isPreflight: false }, simple);
    expect(simple).toEqual({ "access-control-allow-origin": "*" });
  });
});
