// Origin request policies (managed by ID or custom, resolved): which viewer headers, cookies and query strings pass.
import { ALL_CLOUDFRONT_HEADERS } from "./managedPolicies.js";

type Obj = Record<string, unknown>;

export interface OriginRequestPolicy {
  /** Whether a viewer header (lower-cased name) goes to the origin. */
  forwardsHeader(name: string): boolean;
  /** CloudFront-* headers to generate. */
  cloudFrontHeaders: readonly string[];
  /** The Cookie header to send, or undefined for none. */
  cookies(header: string | undefined): string | undefined;
  /** The query string to send (without `?`). */
  queryString(raw: string): string;
}

/** CloudFormation lists are plain arrays; the API shape wraps them in `{Quantity, Items}`. Accept both. */
export function itemsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  const items = (value as Obj | undefined)?.Items;
  return Array.isArray(items) ? items.map(String) : [];
}

function nameFilter(behavior: unknown, names: string[], caseInsensitive: boolean): (name: string) => boolean {
  const set = new Set(caseInsensitive ? names.map((n) => n.toLowerCase()) : names);
  const norm = (n: string) => (caseInsensitive ? n.toLowerCase() : n);
  switch (behavior) {
    case "all":
    case "allViewer":
    case "allViewerAndWhitelistCloudFront":
      return () => true;
    case "whitelist":
      return (n) => set.has(norm(n));
    case "allExcept":
      return (n) => !set.has(norm(n));
    default:
      return () => false; // "none"
  }
}

function filterPairs(text: string, separator: string, keep: (name: string) => boolean): string {
  const kept: string[] = [];
  for (const part of text.split(separator)) {
    const trimmed = separator === ";" ? part.trim() : part;
    if (!trimmed) continue;
    const eq = trimmed.indexOf("=");
    let name = eq < 0 ? trimmed : trimmed.slice(0, eq);
    if (separator === "&") {
      try {
        name = decodeURIComponent(name.replace(/\+/g, " "));
      } catch {
        // a malformed escape stays as sent; it simply will not match an allow-listed name
      }
    }
    if (keep(name)) kept.push(trimmed);
  }
  return kept.join(separator === ";" ? "; " : "&");
}

/** Compiles an `OriginRequestPolicyConfig` (or the whole resource Properties holding one). */
export function compileOriginRequestPolicy(policy: Obj): OriginRequestPolicy {
  const config = (policy.OriginRequestPolicyConfig ?? policy) as Obj;
  const headers = (config.HeadersConfig ?? {}) as Obj;
  const cookies = (config.CookiesConfig ?? {}) as Obj;
  const query = (config.QueryStringsConfig ?? {}) as Obj;
  const headerNames = itemsOf(headers.Headers).map((n) => n.toLowerCase());
  const viewerHeaderNames = headerNames.filter((n) => !n.startsWith("cloudfront-"));
  const forwardsHeader = nameFilter(headers.HeaderBehavior, viewerHeaderNames, true);
  const generated = [
    ...new Set([
      ...headerNames.filter((n) => n.startsWith("cloudfront-")),
      ...itemsOf(headers.IncludeCloudFrontHeaders),
    ]),
  ];
  const cookieBehavior = cookies.CookieBehavior ?? "none";
  const keepCookie = nameFilter(cookieBehavior, itemsOf(cookies.Cookies), false);
  const queryBehavior = query.QueryStringBehavior ?? "none";
  const keepQuery = nameFilter(queryBehavior, itemsOf(query.QueryStrings), false);
  return {
    forwardsHeader,
    cloudFrontHeaders: generated.filter((n) => ALL_CLOUDFRONT_HEADERS.includes(n)),
    cookies: (header) => {
      if (!header || cookieBehavior === "none") return undefined;
      if (cookieBehavior === "all") return header;
      return filterPairs(header, ";", keepCookie) || undefined;
    },
    queryString: (raw) => {
      if (!raw || queryBehavior === "none") return "";
      if (queryBehavior === "all") return raw;
      return filterPairs(raw, "&", keepQuery);
    },
  };
}

/** The CloudFront-* headers a policy asks for that the kit cannot generate (ASN, city, TLS, JA3...). */
export function unsupportedCloudFrontHeaders(policy: Obj): string[] {
  const config = (policy.OriginRequestPolicyConfig ?? policy) as Obj;
  const names = itemsOf((config.HeadersConfig as Obj | undefined)?.Headers).map((n) => n.toLowerCase());
  return names.filter((n) => n.startsWith("cloudfront-") && !ALL_CLOUDFRONT_HEADERS.includes(n));
}

/** Legacy `ForwardedValues` of a cache behaviour, expressed as an origin request policy. */
export function policyFromForwardedValues(forwarded: Obj): Obj {
  const cookies = (forwarded.Cookies ?? {}) as Obj;
  const headers = itemsOf(forwarded.Headers);
  return {
    HeadersConfig: headers.includes("*")
      ? { HeaderBehavior: "allViewer" }
      : { HeaderBehavior: "whitelist", Headers: headers },
    CookiesConfig: { CookieBehavior: cookies.Forward ?? "none", Cookies: itemsOf(cookies.WhitelistedNames) },
    QueryStringsConfig: forwarded.QueryString
      ? itemsOf(forwarded.QueryStringCacheKeys).length
        ? { QueryStringBehavior: "whitelist", QueryStrings: itemsOf(forwarded.QueryStringCacheKeys) }
        : { QueryStringBehavior: "all" }
      : { QueryStringBehavior: "none" },
  };
}
