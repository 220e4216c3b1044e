// The headers CloudFront sends to the origin: policy-filtered viewer headers plus what CloudFront adds.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { VIEWER_COUNTRY_OVERRIDE_HEADER } from "../../geo/index.js";
import type { OriginRequestPolicy } from "./originRequestPolicy.js";

/** Viewer headers CloudFront never forwards (hop-by-hop, proxy, and ones it regenerates). */
const NEVER_FORWARDED = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "expect",
  "te",
  "trailer",
  "upgrade",
  "x-forwarded-proto",
  "x-real-ip",
  "x-forwarded-for",
  "via",
  "x-amz-cf-id",
  "cookie",
  VIEWER_COUNTRY_OVERRIDE_HEADER,
]);

export interface OriginHeaderInputs {
  viewerHeaders: IncomingHttpHeaders;
  policy: OriginRequestPolicy;
  originHost: string;
  /** TCP peer of the viewer connection: what CloudFront appends to X-Forwarded-For. */
  peerIp: string;
  /** The viewer IP the kit uses (peer, or trusted first XFF element) for CloudFront-Viewer-Address. */
  viewerIp: string;
  viewerPort: number;
  country: string;
  via: string;
  requestId: string;
  protocol: "http" | "https";
  customHeaders: ReadonlyArray<readonly [string, string]>;
  wafHeaders?: Record<string, string>;
  bodyLength: number;
}

function deviceFlags(userAgent: string): Record<string, boolean> {
  const ua = userAgent.toLowerCase();
  const ios = /iphone|ipad|ipod/.test(ua);
  const android = ua.includes("android");
  const tablet = ua.includes("ipad") || (android && !ua.includes("mobile")) || ua.includes("tablet");
  const smarttv = /smart-?tv|googletv|appletv|hbbtv|roku/.test(ua);
  const mobile = !tablet && (ios || android || ua.includes("mobile"));
  return {
    "cloudfront-is-ios-viewer": ios,
    "cloudfront-is-android-viewer": android,
    "cloudfront-is-tablet-viewer": tablet,
    "cloudfront-is-smarttv-viewer": smarttv,
    "cloudfront-is-mobile-viewer": mobile,
    "cloudfront-is-desktop-viewer": !mobile && !tablet && !smarttv,
  };
}

function generatedHeader(
  name: string,
  inputs: OriginHeaderInputs,
  flags: () => Record<string, boolean>,
): string | undefined {
  switch (name) {
    case "cloudfront-viewer-country":
      return inputs.country;
    case "cloudfront-viewer-address":
      return `${inputs.viewerIp}:${inputs.viewerPort}`;
    case "cloudfront-viewer-http-version":
      return "1.1";
    case "cloudfront-forwarded-proto":
      return inputs.protocol;
    default: {
      const flag = flags()[name];
      return flag === undefined ? undefined : String(flag);
    }
  }
}

export function buildOriginHeaders(inputs: OriginHeaderInputs): OutgoingHttpHeaders {
  const { viewerHeaders, policy } = inputs;
  const out: OutgoingHttpHeaders = {};
  for (const name in viewerHeaders) {
    // Viewer-sent CloudFront-* headers are dropped: only the edge may set them.
    if (
      NEVER_FORWARDED.has(name) ||
      name.startsWith("cloudfront-") ||
      name.startsWith("x-edge-") ||
      name.startsWith("proxy-")
    )
      continue;
    if (name === "host" || !policy.forwardsHeader(name)) continue;
    out[name] = viewerHeaders[name];
  }
  out.host = policy.forwardsHeader("host") && viewerHeaders.host ? viewerHeaders.host : inputs.originHost;
  if (out["user-agent"] === undefined) out["user-agent"] = "Amazon CloudFront";
  const cookie = policy.cookies(viewerHeaders.cookie);
  if (cookie) out.cookie = cookie;
  const xff = viewerHeaders["x-forwarded-for"];
  const priorXff = Array.isArray(xff) ? xff.join(", ") : xff;
  out["x-forwarded-for"] = priorXff ? `${priorXff}, ${inputs.peerIp}` : inputs.peerIp;
  const viewerVia = viewerHeaders.via;
  out.via = viewerVia
    ? `${Array.isArray(viewerVia) ? viewerVia.join(", ") : viewerVia}, ${inputs.via}`
    : inputs.via;
  out["x-amz-cf-id"] = inputs.requestId;
  let flags: Record<string, boolean> | undefined;
  const lazyFlags = () => {
    flags ??= deviceFlags(String(viewerHeaders["user-agent"] ?? ""));
    return flags;
  };
  for (const name of policy.cloudFrontHeaders) {
    const value = generatedHeader(name, inputs, lazyFlags);
    if (value !== undefined) out[name] = value;
  }
  if (inputs.wafHeaders) Object.assign(out, inputs.wafHeaders);
  // Custom origin headers win over viewer headers of the same name (that is what makes them a secret).
  for (const [name, value] of inputs.customHeaders) out[name] = value;
  if (
    inputs.bodyLength > 0 ||
    viewerHeaders["content-length"] !== undefined ||
    viewerHeaders["transfer-encoding"] !== undefined
  ) {
    out["content-length"] = String(inputs.bodyLength);
  }
  return out;
}
