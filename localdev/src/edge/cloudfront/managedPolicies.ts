// CloudFront managed policies by ID, written out in the CloudFormation config shape of custom policies.
// @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html

type Config = Record<string, unknown>;

/** Every CloudFront-* header the kit can generate. */
export const ALL_CLOUDFRONT_HEADERS = [
  "cloudfront-viewer-country",
  "cloudfront-viewer-address",
  "cloudfront-viewer-http-version",
  "cloudfront-forwarded-proto",
  "cloudfront-is-desktop-viewer",
  "cloudfront-is-mobile-viewer",
  "cloudfront-is-tablet-viewer",
  "cloudfront-is-smarttv-viewer",
  "cloudfront-is-android-viewer",
  "cloudfront-is-ios-viewer",
];

const all = { CookiesConfig: { CookieBehavior: "all" }, QueryStringsConfig: { QueryStringBehavior: "all" } };
const none = {
  CookiesConfig: { CookieBehavior: "none" },
  QueryStringsConfig: { QueryStringBehavior: "none" },
};

export const MANAGED_ORIGIN_REQUEST_POLICIES: Record<string, Config> = {
  // Managed-AllViewer: includes the viewer's Host, which a Function URL answers with 403.
  "216adef6-5c7f-47e4-b989-5492eafa07d3": {
    Name: "Managed-AllViewer",
    HeadersConfig: { HeaderBehavior: "allViewer" },
    ...all,
  },
  // Managed-AllViewerExceptHostHeader: all viewer headers but Host, plus the CloudFront-* viewer headers
  // (IncludeCloudFrontHeaders is the kit's own key: a custom allExcept policy cannot express that).
  "b689b0a8-53d0-40ab-baf2-68738e2966ac": {
    Name: "Managed-AllViewerExceptHostHeader",
    HeadersConfig: {
      HeaderBehavior: "allExcept",
      Headers: ["host"],
      IncludeCloudFrontHeaders: ALL_CLOUDFRONT_HEADERS,
    },
    ...all,
  },
  "33f36d7e-f396-46d9-90e0-52428a34d9dc": {
    Name: "Managed-AllViewerAndCloudFrontHeaders-2022-06",
    HeadersConfig: { HeaderBehavior: "allViewerAndWhitelistCloudFront", Headers: ALL_CLOUDFRONT_HEADERS },
    ...all,
  },
  "59781a5b-3903-41f3-afcb-af62929ccde1": {
    Name: "Managed-CORS-CustomOrigin",
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: ["origin"] },
    ...none,
  },
  "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": {
    Name: "Managed-CORS-S3Origin",
    HeadersConfig: {
      HeaderBehavior: "whitelist",
      Headers: ["origin", "access-control-request-headers", "access-control-request-method"],
    },
    ...none,
  },
  "acba4595-bd28-49b8-b9fe-13317c0390fa": {
    Name: "Managed-UserAgentRefererHeaders",
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: ["user-agent", "referer"] },
    CookiesConfig: { CookieBehavior: "none" },
    QueryStringsConfig: { QueryStringBehavior: "all" },
  },
};

/** Cache policies: the kit never caches; only CachingDisabled matches that exactly. */
export const CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

const ALL_METHODS = ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"];
const simpleCors = {
  AccessControlAllowCredentials: false,
  AccessControlAllowHeaders: { Items: ["*"] },
  AccessControlAllowMethods: { Items: ALL_METHODS },
  AccessControlAllowOrigins: { Items: ["*"] },
  OriginOverride: false,
};
const preflightCors = { ...simpleCors, AccessControlExposeHeaders: { Items: ["*"] } };
const securityHeaders = {
  ContentTypeOptions: { Override: false },
  FrameOptions: { FrameOption: "SAMEORIGIN", Override: false },
  ReferrerPolicy: { ReferrerPolicy: "strict-origin-when-cross-origin", Override: false },
  StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, Override: false },
  XSSProtection: { ModeBlock: true, Protection: true, Override: false },
};

export const MANAGED_RESPONSE_HEADERS_POLICIES: Record<string, Config> = {
  "60669652-455b-4ae9-85a4-c4c02393f86c": { Name: "Managed-SimpleCORS", CorsConfig: simpleCors },
  "5cc3b908-e619-4b99-88e5-2cf7f45965bd": { Name: "Managed-CORS-With-Preflight", CorsConfig: preflightCors },
  "67f7725c-6f97-4210-82d7-5512b31e9d03": {
    Name: "Managed-SecurityHeadersPolicy",
    SecurityHeadersConfig: securityHeaders,
  },
  "e61eb60c-9c35-4d20-a928-2b84e02af89c": {
    Name: "Managed-CORS-and-SecurityHeadersPolicy",
    CorsConfig: simpleCors,
    SecurityHeadersConfig: securityHeaders,
  },
  "eaab4381-ed33-4a86-88ca-d9558dc6cd63": {
    Name: "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
    CorsConfig: preflightCors,
    SecurityHeadersConfig: securityHeaders,
  },
};
