// Local versions of AWS managed rule groups: CRS and KnownBadInputs, with AWS's rule names and labels.
// AWS does not publish the exact patterns; each rule follows the documented intent and example patterns
// (reference/edge.md §4). Groups that depend on AWS threat intelligence or undocumented rules are listed
// in NOT_EMULATED_GROUPS so the engine names them at start-up.
import type { RequestContext } from "./requestContext.js";
import { htmlEntityDecode, urlDecode } from "./textTransformations.js";

export interface ManagedRule {
  /** Rule name as in ExcludedRules / RuleActionOverrides, e.g. `NoUserAgent_HEADER`. */
  name: string;
  /** Fully qualified label AWS adds when the rule matches. */
  label: string;
  matches(ctx: RequestContext): boolean;
}

export interface ManagedRuleGroup {
  name: string;
  rules: ManagedRule[];
}

/** URL-decodes until stable (double encoding is a classic evasion), then decodes HTML entities, lower-cased. */
function normalize(value: string): string {
  let current = value;
  for (let i = 0; i < 3; i++) {
    const next = urlDecode(current);
    if (next === current) break;
    current = next;
  }
  return htmlEntityDecode(current).toLowerCase();
}

const anyOf = (values: string[], test: (v: string) => boolean): boolean =>
  values.some((v) => test(normalize(v)));
const queryValues = (ctx: RequestContext): string[] => ctx.queryArguments().map(([, v]) => v);
const cookieValues = (ctx: RequestContext): string[] => ctx.cookies().map(([, v]) => v);

const BAD_BOTS =
  /nessus|nmap|nikto|sqlmap|masscan|zgrab|dirbuster|gobuster|acunetix|netsparker|w3af|openvas|arachni/;
const METADATA_HOST = /169\.254\.169\.254|fd00:ec2::254|2852039166|0xa9fea9fe/;
const PATH_TRAVERSAL = /(?:^|[\\/=])\.\.[\\/]/;
const RESTRICTED_EXTENSION = /\.(?:log|ini|bak|backup|cfg|conf|config|old|sql|swp|tmp|env)$/;
const RFI_URL_WITH_IPV4 = /(?:https?|ftps?|file):\/\/(?:[^/@\s]*@)?\d{1,3}(?:\.\d{1,3}){3}/;
const XSS =
  /<\s*\/?\s*script\b|javascript\s*:|vbscript\s*:|\bon(?:error|load|click|mouseover|mouseenter|focus|blur|submit|change|input|keydown|keyup|animationstart|toggle|pageshow)\s*=|<\s*(?:iframe|object|embed|svg|img|body|link|meta|style|base|form|video|audio|math)\b[^>]*?\b(?:on\w+|src|href|data|action|formaction)\s*=|expression\s*\(/;
const JAVA_DESERIALIZATION =
  /java\.lang\.(?:runtime|processbuilder)|getruntime\(\)|class\.module\.classloader|ro0ab/;
const LOG4J = /\$\{[^}]*?(?:jndi|lower:|upper:|env:|sys:|date:|::-)/;
const EXPLOITABLE_PATH = /(?:^|\/)(?:web-inf|meta-inf)(?:\/|$)|(?:^|\/)\.git(?:\/|$)/;
// Host names that mean "this machine". Locally the WAF sees the distribution's domain as Host (the
// local host:port stands for dXXXX.cloudfront.net), so this rule does not fire on every kit request.
const LOCALHOST = /^(?:localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0)(?::\d+)?$/;

const CRS_SIZE = { queryString: 2048, cookie: 10_240, body: 8192, uriPath: 1024 };

function crs(name: string, labelName: string, matches: (ctx: RequestContext) => boolean): ManagedRule {
  return { name, label: `awswaf:managed:aws:core-rule-set:${labelName}`, matches };
}
function kbi(name: string, labelName: string, matches: (ctx: RequestContext) => boolean): ManagedRule {
  return { name, label: `awswaf:managed:aws:known-bad-inputs:${labelName}`, matches };
}

const COMMON_RULE_SET: ManagedRuleGroup = {
  name: "AWSManagedRulesCommonRuleSet",
  rules: [
    crs("NoUserAgent_HEADER", "NoUserAgent_Header", (ctx) => !ctx.header("user-agent")),
    crs("UserAgent_BadBots_HEADER", "BadBots_Header", (ctx) =>
      BAD_BOTS.test((ctx.header("user-agent") ?? "").toLowerCase()),
    ),
    crs(
      "SizeRestrictions_QUERYSTRING",
      "SizeRestrictions_QueryString",
      (ctx) => ctx.req.queryString.length > CRS_SIZE.queryString,
    ),
    crs(
      "SizeRestrictions_Cookie_HEADER",
      "SizeRestrictions_Cookie_Header",
      (ctx) => (ctx.header("cookie")?.length ?? 0) > CRS_SIZE.cookie,
    ),
    crs("SizeRestrictions_BODY", "SizeRestrictions_Body", (ctx) => ctx.bodySize() > CRS_SIZE.body),
    crs(
      "SizeRestrictions_URIPATH",
      "SizeRestrictions_URIPath",
      (ctx) => ctx.req.uri.length > CRS_SIZE.uriPath,
    ),
    crs("EC2MetaDataSSRF_BODY", "EC2MetaDataSSRF_Body", (ctx) => METADATA_HOST.test(normalize(ctx.body()))),
    crs("EC2MetaDataSSRF_COOKIE", "EC2MetaDataSSRF_Cookie", (ctx) =>
      anyOf(cookieValues(ctx), (v) => METADATA_HOST.test(v)),
    ),
    crs("EC2MetaDataSSRF_URIPATH", "EC2MetaDataSSRF_URIPath", (ctx) =>
      METADATA_HOST.test(normalize(ctx.req.uri)),
    ),
    crs("EC2MetaDataSSRF_QUERYARGUMENTS", "EC2MetaDataSSRF_QueryArguments", (ctx) =>
      anyOf(queryValues(ctx), (v) => METADATA_HOST.test(v)),
    ),
    crs("GenericLFI_QUERYARGUMENTS", "GenericLFI_QueryArguments", (ctx) =>
      anyOf(queryValues(ctx), (v) => PATH_TRAVERSAL.test(v)),
    ),
    crs("GenericLFI_URIPATH", "GenericLFI_URIPath", (ctx) => PATH_TRAVERSAL.test(normalize(ctx.req.uri))),
    crs("GenericLFI_BODY", "GenericLFI_Body", (ctx) => PATH_TRAVERSAL.test(normalize(ctx.body()))),
    crs("RestrictedExtensions_URIPATH", "RestrictedExtensions_URIPath", (ctx) =>
      RESTRICTED_EXTENSION.test(normalize(ctx.req.uri)),
    ),
    crs("RestrictedExtensions_QUERYARGUMENTS", "RestrictedExtensions_QueryArguments", (ctx) =>
      anyOf(queryValues(ctx), (v) => RESTRICTED_EXTENSION.test(v)),
    ),
    crs("GenericRFI_QUERYARGUMENTS", "GenericRFI_QueryArguments", (ctx) =>
      anyOf(queryValues(ctx), (v) => RFI_URL_WITH_IPV4.test(v)),
    ),
    crs("GenericRFI_BODY", "GenericRFI_Body", (ctx) => RFI_URL_WITH_IPV4.test(normalize(ctx.body()))),
    crs("GenericRFI_URIPATH", "GenericRFI_URIPath", (ctx) => RFI_URL_WITH_IPV4.test(normalize(ctx.req.uri))),
    crs("CrossSiteScripting_COOKIE", "CrossSiteScripting_Cookie", (ctx) =>
      anyOf(cookieValues(ctx), (v) => XSS.test(v)),
    ),
    crs("CrossSiteScripting_QUERYARGUMENTS", "CrossSiteScripting_QueryArguments", (ctx) =>
      anyOf(queryValues(ctx), (v) => XSS.test(v)),
    ),
    crs("CrossSiteScripting_BODY", "CrossSiteScripting_Body", (ctx) => XSS.test(normalize(ctx.body()))),
    crs("CrossSiteScripting_URIPATH", "CrossSiteScripting_URIPath", (ctx) =>
      XSS.test(normalize(ctx.req.uri)),
    ),
  ],
};

const KNOWN_BAD_INPUTS: ManagedRuleGroup = {
  name: "AWSManagedRulesKnownBadInputsRuleSet",
  rules: [
    kbi("JavaDeserializationRCE_HEADER", "JavaDeserializationRCE_Header", (ctx) =>
      ctx.headers().some(([, v]) => JAVA_DESERIALIZATION.test(normalize(v))),
    ),
    kbi("JavaDeserializationRCE_BODY", "JavaDeserializationRCE_Body", (ctx) =>
      JAVA_DESERIALIZATION.test(normalize(ctx.body())),
    ),
    kbi("JavaDeserializationRCE_URIPATH", "JavaDeserializationRCE_URIPath", (ctx) =>
      JAVA_DESERIALIZATION.test(normalize(ctx.req.uri)),
    ),
    kbi("JavaDeserializationRCE_QUERYSTRING", "JavaDeserializationRCE_QueryString", (ctx) =>
      JAVA_DESERIALIZATION.test(normalize(ctx.req.queryString)),
    ),
    kbi("Host_localhost_HEADER", "Host_Localhost_Header", (ctx) =>
      LOCALHOST.test(ctx.req.host.toLowerCase()),
    ),
    kbi("PROPFIND_METHOD", "Propfind_Method", (ctx) => ctx.req.method.toUpperCase() === "PROPFIND"),
    kbi("ExploitablePaths_URIPATH", "ExploitablePaths_URIPath", (ctx) =>
      EXPLOITABLE_PATH.test(normalize(ctx.req.uri)),
    ),
    kbi("Log4JRCE_HEADER", "Log4JRCE_Header", (ctx) =>
      ctx.headers().some(([n, v]) => LOG4J.test(normalize(n)) || LOG4J.test(normalize(v))),
    ),
    kbi("Log4JRCE_QUERYSTRING", "Log4JRCE_QueryString", (ctx) => LOG4J.test(normalize(ctx.req.queryString))),
    kbi("Log4JRCE_BODY", "Log4JRCE_Body", (ctx) => LOG4J.test(normalize(ctx.body()))),
    kbi("Log4JRCE_URIPATH", "Log4JRCE_URIPath", (ctx) => LOG4J.test(normalize(ctx.req.uri))),
  ],
};

/** Managed groups (VendorName AWS) the kit runs locally, by Name. */
export const EMULATED_GROUPS: Record<string, ManagedRuleGroup> = {
  [COMMON_RULE_SET.name]: COMMON_RULE_SET,
  [KNOWN_BAD_INPUTS.name]: KNOWN_BAD_INPUTS,
};

/** Known AWS groups the kit cannot reproduce offline, with the reason given at start-up. */
export const NOT_EMULATED_GROUPS: Record<string, string> = {
  AWSManagedRulesAmazonIpReputationList: "needs AWS threat-intelligence IP lists",
  AWSManagedRulesAnonymousIpList:
    "needs AWS threat-intelligence IP lists (VPNs, proxies, Tor, hosting providers)",
  AWSManagedRulesBotControlRuleSet: "needs AWS bot signatures and tokens",
  AWSManagedRulesATPRuleSet: "needs AWS fraud-control intelligence",
  AWSManagedRulesACFPRuleSet: "needs AWS fraud-control intelligence",
  AWSManagedRulesAntiDDoSRuleSet: "needs AWS traffic baselines",
  AWSManagedRulesLinuxRuleSet: "its rules are not documented in the kit's reference",
  AWSManagedRulesUnixRuleSet: "its rules are not documented in the kit's reference",
  AWSManagedRulesWindowsRuleSet: "its rules are not documented in the kit's reference",
  AWSManagedRulesSQLiRuleSet: "its rules are not documented in the kit's reference",
  AWSManagedRulesPHPRuleSet: "its rules are not documented in the kit's reference",
  AWSManagedRulesWordPressRuleSet: "its rules are not documented in the kit's reference",
  AWSManagedRulesAdminProtectionRuleSet: "its rules are not documented in the kit's reference",
};
