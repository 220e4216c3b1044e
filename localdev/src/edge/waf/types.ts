// Shapes the WAF engine takes and returns; the web ACL itself stays in its CloudFormation (resolved) form.

/** A viewer request as the web ACL sees it (after CloudFront's viewer checks, before the origin). */
export interface WafRequest {
  /** The viewer IP (the TCP peer, or the trusted first X-Forwarded-For element in the kit). */
  clientIp: string;
  /** The viewer country the edge resolved (override header, IP country or simulated default). */
  country?: string;
  method: string;
  /** The path, without the query string. */
  uri: string;
  /** The raw query string without the leading `?`; `""` when none. */
  queryString: string;
  /** Lower-cased names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The Host the viewer used; the kit passes the distribution domain (see the CloudFront module). */
  host: string;
}

/** A response the web ACL generates itself (Block, with or without a custom response). */
export interface WafResponse {
  status: number;
  headers: Record<string, string>;
  /** `undefined` means "no custom body": the edge renders CloudFront's default 403 page. */
  body?: string;
  contentType?: string;
}

/**
 * What the web ACL decided. Count, CAPTCHA and Challenge never terminate here (the last two are not
 * emulated and act like Count), so the final action is always ALLOW or BLOCK; `countedRules` lists the
 * rules that matched without terminating.
 */
export interface WafDecision {
  action: "ALLOW" | "BLOCK";
  /** Name of the web ACL rule that terminated, or absent when the default action applied. */
  terminatingRule?: string;
  /** For a managed rule group: the rule inside the group that terminated, e.g. `NoUserAgent_HEADER`. */
  terminatingRuleGroupRule?: string;
  labels: string[];
  countedRules: string[];
  /** Set for BLOCK. */
  response?: WafResponse;
  /** Headers that Allow/Count custom request handling inserts into the origin request (`x-amzn-waf-*`). */
  requestHeaders?: Record<string, string>;
}

/** One entry of the decision ring, shaped like a WAF sampled request (no query string, no headers). */
export interface WafDecisionRecord {
  time: string;
  clientIp: string;
  country?: string;
  method: string;
  uri: string;
  action: "ALLOW" | "BLOCK";
  terminatingRule?: string;
  terminatingRuleGroupRule?: string;
  countedRules: string[];
  labels: string[];
}

export interface WafEngine {
  evaluate(req: WafRequest): WafDecision;
  /** Human-readable lines naming what the web ACL uses that the kit does not emulate. */
  notEmulated: string[];
  /** Newest first; `limit` defaults to 100. */
  recentDecisions(limit?: number): WafDecisionRecord[];
  /** Number of live rate counters over all rate-based rules (bounded by `maxRateKeys` per rule). */
  rateKeyCount(): number;
}

/** A web ACL setting the kit cannot run: thrown at start-up, with the rule and field named. */
export class WafConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WafConfigError";
  }
}
