// Response headers policies: CORS (with OriginOverride and preflight), custom, security and removed headers.
import { itemsOf } from "./originRequestPolicy.js";

type Obj = Record<string, unknown>;
export type ResponseHeaders = Record<string, string | string[] | number | undefined>;

/** What the policy needs to know about the viewer request. */
export interface ViewerRequestInfo {
  method: string;
  origin: string | undefined;
  isPreflight: boolean;
}

export type ResponseHeadersPolicy = (viewer: ViewerRequestInfo, headers: ResponseHeaders) => void;

const ALL_METHODS = "GET, DELETE, HEAD, OPTIONS, PATCH, POST, PUT";

function originMatcher(origins: string[]): (origin: string) => boolean {
  if (origins.includes("*")) return () => true;
  const exact = new Set(origins.filter((o) => !o.includes("*")));
  // CloudFront accepts one wildcard for subdomains, e.g. https://*.example.com.
  const patterns = origins
    .filter((o) => o.includes("*"))
    .map((o) => new RegExp(`^${o.replace(/[.+?^${}()|[\]\\*]/g, "\\$&").replace("\\*", "[^/]+")}$`));
  return (origin) => exact.has(origin) || patterns.some((p) => p.test(origin));
}

function compileCors(cors: Obj): ResponseHeadersPolicy {
  const origins = itemsOf(cors.AccessControlAllowOrigins);
  const allowed = originMatcher(origins);
  const wildcard = origins.includes("*");
  const override = cors.OriginOverride === true;
  const credentials = cors.AccessControlAllowCredentials === true;
  const methods = itemsOf(cors.AccessControlAllowMethods);
  const allowMethods = methods.includes("ALL") ? ALL_METHODS : methods.join(", ");
  const allowHeaders = itemsOf(cors.AccessControlAllowHeaders).join(", ");
  const expose = itemsOf(cors.AccessControlExposeHeaders).join(", ");
  const maxAge = cors.AccessControlMaxAgeSec;
  return (viewer, headers) => {
    if (!viewer.origin || !allowed(viewer.origin)) return;
    const put = (name: string, value: string) => {
      if (override || headers[name] === undefined) headers[name] = value;
    };
    put("access-control-allow-origin", wildcard && !credentials ? "*" : viewer.origin);
    if (credentials) put("access-control-allow-credentials", "true");
    if (viewer.isPreflight) {
      if (allowMethods) put("access-control-allow-methods", allowMethods);
      if (allowHeaders) put("access-control-allow-headers", allowHeaders);
      if (maxAge !== undefined) put("access-control-max-age", String(maxAge));
    } else if (expose) {
      put("access-control-expose-headers", expose);
    }
  };
}

function compileSecurityHeaders(security: Obj): Array<[string, string, boolean]> {
  const out: Array<[string, string, boolean]> = [];
  const sts = security.StrictTransportSecurity as Obj | undefined;
  if (sts) {
    let value = `max-age=${Number(sts.AccessControlMaxAgeSec ?? 0)}`;
    if (sts.IncludeSubdomains) value += "; includeSubDomains";
    if (sts.Preload) value += "; preload";
    out.push(["strict-transport-security", value, sts.Override === true]);
  }
  const cto = security.ContentTypeOptions as Obj | undefined;
  if (cto) out.push(["x-content-type-options", "nosniff", cto.Override === true]);
  const frame = security.FrameOptions as Obj | undefined;
  if (frame) out.push(["x-frame-options", String(frame.FrameOption ?? "DENY"), frame.Override === true]);
  const referrer = security.ReferrerPolicy as Obj | undefined;
  if (referrer) out.push(["referrer-policy", String(referrer.ReferrerPolicy), referrer.Override === true]);
  const csp = security.ContentSecurityPolicy as Obj | undefined;
  if (csp) out.push(["content-security-policy", String(csp.ContentSecurityPolicy), csp.Override === true]);
  const xss = security.XSSProtection as Obj | undefined;
  if (xss) {
    let value = xss.Protection ? "1" : "0";
    if (xss.Protection && xss.ModeBlock) value += "; mode=block";
    else if (xss.Protection && xss.ReportUri) value += `; report=${String(xss.ReportUri)}`;
    out.push(["x-xss-protection", value, xss.Override === true]);
  }
  return out;
}

/** Compiles a `ResponseHeadersPolicyConfig` (or the whole resource Properties holding one). */
export function compileResponseHeadersPolicy(policy: Obj): ResponseHeadersPolicy {
  const config = (policy.ResponseHeadersPolicyConfig ?? policy) as Obj;
  const cors = config.CorsConfig ? compileCors(config.CorsConfig as Obj) : undefined;
  const fixed: Array<[string, string, boolean]> = [
    ...compileSecurityHeaders((config.SecurityHeadersConfig ?? {}) as Obj),
    ...(((config.CustomHeadersConfig as Obj | undefined)?.Items as Obj[] | undefined) ?? []).map(
      (h) =>
        [String(h.Header).toLowerCase(), String(h.Value ?? ""), h.Override === true] as [
          string,
          string,
          boolean,
        ],
    ),
  ];
  const removed = (
    (((config.RemoveHeadersConfig as Obj | undefined)?.Items as Obj[] | undefined) ?? []) as Obj[]
  ).map((h) => String(h.Header).toLowerCase());
  return (viewer, headers) => {
    cors?.(viewer, headers);
    for (const [name, value, override] of fixed)
      if (override || headers[name] === undefined) headers[name] = value;
    for (const name of removed) delete headers[name];
  };
}
