// The CloudFront-scoped WAF web ACL: country allow-list, per-IP rate limit, AWS managed rule groups.
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

export interface WebAclProps {
  /** ISO alpha-2 codes let through; everything else is blocked. */
  allowedCountries: string[];
  /** Requests per IP per 5-minute window. */
  rateLimit: number;
  /** Sent as Access-Control-Allow-Origin on block responses so the page can read them. */
  siteOrigin: string;
}

/** Rate window: 5 minutes, WAF's default and the look-back span of the rate rule. */
export const RATE_WINDOW_SECONDS = 300;

/** AWS managed rule groups, evaluated in this order after the two custom rules. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesLinuxRuleSet",
  "AWSManagedRulesUnixRuleSet",
] as const;

/** Custom response bodies by key: what the page shows when a custom rule blocks. */
export const BLOCK_MESSAGES = {
  "country-not-allowed": "Request blocked by AWS WAF: your country is not allowed.",
  "too-many-requests": "Request blocked by AWS WAF: too many requests from your IP address, try again later.",
} as const;

type BlockBodyKey = keyof typeof BLOCK_MESSAGES;

/**
 * Blocks with a readable 403: JSON body plus the CORS header, instead of an opaque network error.
 * No rule exempts preflights: the page's call is a CORS-simple POST (no preflight), so the request WAF
 * blocks is the one whose answer the page reads.
 */
export class WebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const block = (key: BlockBodyKey): wafv2.CfnWebACL.RuleActionProperty => ({
      block: {
        customResponse: {
          responseCode: 403,
          customResponseBodyKey: key,
          responseHeaders: [{ name: "Access-Control-Allow-Origin", value: props.siteOrigin }],
        },
      },
    });
    const managedRules: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, index) => ({
      name,
      priority: 2 + index,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
      visibilityConfig: visibility(name),
    }));
    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("FurlKitWebAcl"),
      customResponseBodies: Object.fromEntries(
        Object.entries(BLOCK_MESSAGES).map(([key, message]) => [
          key,
          { contentType: "APPLICATION_JSON", content: JSON.stringify({ message, blocked: true }) },
        ]),
      ),
      rules: [
        {
          name: "AllowedCountriesOnly",
          priority: 0,
          action: block("country-not-allowed"),
          statement: {
            notStatement: { statement: { geoMatchStatement: { countryCodes: props.allowedCountries } } },
          },
          visibilityConfig: visibility("AllowedCountriesOnly"),
        },
        {
          name: "RateLimitPerIp",
          priority: 1,
          action: block("too-many-requests"),
          statement: {
            rateBasedStatement: {
              limit: props.rateLimit,
              aggregateKeyType: "IP",
              evaluationWindowSec: RATE_WINDOW_SECONDS,
            },
          },
          visibilityConfig: visibility("RateLimitPerIp"),
        },
        ...managedRules,
      ],
    });
  }
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}
