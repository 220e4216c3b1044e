// CloudFront managed policies by ID, written out in the CloudFormation config shape of custom policies.
// Checked against AWS's lists (names, IDs, what each includes); the CDK constant naming each is noted.
// @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
// @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html

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
  // CORS_CUSTOM_ORIGIN: only Origin; no query strings, no cookies.
  "59781a5b-3903-41f3-afcb-af62929ccde1": {
    Name: "Managed-CORS-CustomOrigin",
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: ["origin"] },
    ...none,
  },
  // CORS_S3_ORIGIN: Origin and the two preflight request headers; no query strings, no cookies.
  "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": {
    Name: "Managed-CORS-S3Origin",
    HeadersConfig: {
      HeaderBehavior: "whitelist",
      Headers: ["origin", "access-control-request-headers", "access-control-request-method"],
    },
    ...none,
  },
  // USER_AGENT_REFERER_HEADERS: "only the User-Agent and Referer headers. It doesn't include any query
  // strings or cookies."
  "acba4595-bd28-49b8-b9fe-13317c0390fa": {
    Name: "Managed-UserAgentRefererHeaders",
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: ["user-agent", "referer"] },
    ...none,
  },
  // HOST_HEADER_ONLY: the viewer's Host and nothing else (a Function URL origin answers it with 403).
  "bf0718e1-ba1e-49d1-88b1-f726733018ae": {
    Name: "Managed-HostHeaderOnly",
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: ["host"] },
    ...none,
  },
  // ELEMENTAL_MEDIA_TAILOR: all query strings, five headers, no cookies.
  "775133bc-15f2-49f9-abea-afb2e0bf67d2": {
    Name: "Managed-Elemental-MediaTailor-PersonalizedManifests",
    HeadersConfig: {
      HeaderBehavior: "whitelist",
      Headers: [
        "origin",
        "access-control-request-headers",
        "access-control-request-method",
        "user-agent",
        "x-forwarded-for",
      ],
    },
    CookiesConfig: { CookieBehavior: "none" },
    QueryStringsConfig: { QueryStringBehavior: "all" },
  },
};

/** Cache policies: the kit never caches; only CachingDisabled matches that exactly. */
export const CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

const ALL_METHODS = ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"];
// SimpleCORS: `Access-Control-Allow-Origin: *` (its only header), the origin's own header kept.
const simpleCors = {
  AccessControlAllowCredentials: false,
  AccessControlAllowHeaders: { Items: [] },
  AccessControlAllowMethods: { Items: [] },
  AccessControlAllowOrigins: { Items: ["*"] },
  OriginOverride: false,
};
// CORS-With-Preflight: a preflight gets Allow-Origin, Allow-Methods and Allow-Headers ("all three"), a simple
// CORS request only Access-Control-Allow-Origin; no Expose-Headers; the origin's own headers are kept.
const preflightCors = {
  ...simpleCors,
  AccessControlAllowHeaders: { Items: ["*"] },
  AccessControlAllowMethods: { Items: ALL_METHODS },
};
// SecurityHeadersPolicy: "CloudFront adds X-Content-Type-Options: nosniff to all responses" (whatever the origin
// sent: Override); for every other header the origin's own value wins.
const securityHeaders = {
  ContentTypeOptions: { Override: true },
  FrameOptions: { FrameOption: "SAMEORIGIN", Override: false },
  ReferrerPolicy: { ReferrerPolicy: "strict-origin-when-cross-origin", Override: false },
  StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, Override: false },
  XSSProtection: { ModeBlock: true, Protection: true, Override: false },
};

export const MANAGED_RESPONSE_HEADERS_POLICIES: Record<string, Config> = {
  // CORS_ALLOW_ALL_ORIGINS
  "60669652-455b-4ae9-85a4-c4c02393f86c": { Name: "Managed-SimpleCORS", CorsConfig: simpleCors },
  // CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT
  "5cc3b908-e619-4b99-88e5-2cf7f45965bd": { Name: "Managed-CORS-With-Preflight", CorsConfig: preflightCors },
  // SECURITY_HEADERS
  "67f7725c-6f97-4210-82d7-5512b31e9d03": {
    Name: "Managed-SecurityHeadersPolicy",
    SecurityHeadersConfig: securityHeaders,
  },
  // CORS_ALLOW_ALL_ORIGINS_AND_SECURITY_HEADERS
  "e61eb60c-9c35-4d20-a928-2b84e02af89c": {
    Name: "Managed-CORS-and-SecurityHeadersPolicy",
    CorsConfig: simpleCors,
    SecurityHeadersConfig: securityHeaders,
  },
  // CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT_AND_SECURITY_HEADERS
  "eaab4381-ed33-4a86-88ca-d9558dc6cd63": {
    Name: "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
    CorsConfig: preflightCors,
    SecurityHeadersConfig: securityHeaders,
  },
};
