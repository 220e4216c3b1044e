// Web ACL semantics: priority, terminating and counting actions, labels, custom responses, statements.
import { describe, expect, it } from "vitest";
import { wafRequest } from "../../../../test/support/waf/requests.js";
import { createStaticGeoLookup } from "../../geo/index.js";
import { ManualClock } from "../../shared/clock.js";
import { createWafEngine } from "./engine.js";
import { WafConfigError } from "./types.js";

const geo = createStaticGeoLookup({ "81.2.69.142": "GB", "8.8.8.8": "US" });
const allow = { Allow: {} };
const block = { Block: {} };
const count = { Count: {} };
const uriStarts = (prefix: string) => ({
  ByteMatchStatement: {
    FieldToMatch: { UriPath: {} },
    PositionalConstraint: "STARTS_WITH",
    SearchString: prefix,
    TextTransformations: [{ Priority: 0, Type: "NONE" }],
  },
});
const rule = (Name: string, Priority: number, Statement: unknown, Action: unknown, extra: object = {}) => ({
  Name,
  Priority,
  Statement,
  Action,
  VisibilityConfig: {},
  ...extra,
});
const engineWith = (rules: unknown[], extra: Record<string, unknown> = {}, clock = new ManualClock()) =>
  createWafEngine({ webAcl: { Name: "acl", DefaultAction: allow, Rules: rules, ...extra }, geo, clock });

describe("createWafEngine: actions and priority", () => {
  it("evaluates rules by Priority, lowest first, whatever their order in the list", () => {
    const waf = engineWith([
      rule("BlockAdmin", 2, uriStarts("/admin"), block),
      rule("AllowAdmin", 1, uriStarts("/admin"), allow),
    ]);
    const decision = waf.evaluate(wafRequest({ uri: "/admin/x" }));
    expect(decision).toMatchObject({ action: "ALLOW", terminatingRule: "AllowAdmin" });
  });

  it("continues after Count, keeping its labels, and terminates on Block", () => {
    const waf = engineWith([
      rule("CountAll", 0, uriStarts("/"), count, { RuleLabels: [{ Name: "seen" }] }),
      rule("BlockX", 1, uriStarts("/x"), block),
    ]);
    const decision = waf.evaluate(wafRequest({ uri: "/x" }));
    expect(decision.action).toBe("BLOCK");
    expect(decision.terminatingRule).toBe("BlockX");
    expect(decision.countedRules).toEqual(["CountAll"]);
    expect(decision.labels).toContain("awswaf:000000000000:webacl:acl:seen");
    expect(decision.response).toEqual({ status: 403, headers: {} });
  });

  it("applies the default action when no rule terminates", () => {
    const waf = createWafEngine({
      webAcl: { DefaultAction: block, Rules: [rule("A", 0, uriStarts("/ok"), allow)] },
      geo,
    });
    const other = waf.evaluate(wafRequest({ uri: "/other" }));
    expect(other.action).toBe("BLOCK");
    expect(other.terminatingRule).toBeUndefined();
    expect(waf.evaluate(wafRequest({ uri: "/ok" }))).toMatchObject({ action: "ALLOW", terminatingRule: "A" });
  });

  it("answers a Block with the custom response: status, headers and body from CustomResponseBodies", () => {
    const waf = engineWith(
      [
        rule(
          "Geo",
          0,
          { NotStatement: { Statement: { GeoMatchStatement: { CountryCodes: ["US", "CA"] } } } },
          {
            Block: {
              CustomResponse: {
                ResponseCode: 403,
                CustomResponseBodyKey: "geo",
                ResponseHeaders: [{ Name: "Access-Control-Allow-Origin", Value: "https://site.example" }],
              },
            },
          },
        ),
      ],
      {
        CustomResponseBodies: {
          geo: {
            ContentType: "APPLICATION_JSON",
            Content: '{"message":"Request blocked by AWS WAF: country","blocked":true}',
          },
        },
      },
    );
    const decision = waf.evaluate(wafRequest({ country: "FR" }));
    expect(decision.response).toEqual({
      status: 403,
      headers: { "Access-Control-Allow-Origin": "https://site.example" },
      body: '{"message":"Request blocked by AWS WAF: country","blocked":true}',
      contentType: "application/json",
    });
    expect(decision.labels).toContain("awswaf:clientip:geo:country:FR");
    expect(waf.evaluate(wafRequest({ country: "CA" })).action).toBe("ALLOW");
  });

  it("reports CAPTCHA and Challenge as not emulated and counts their matches", () => {
    const waf = engineWith([rule("Captcha", 0, uriStarts("/"), { Captcha: {} })]);
    expect(waf.notEmulated.join("\n")).toMatch(/Captcha action is not emulated/);
    expect(waf.evaluate(wafRequest())).toMatchObject({ action: "ALLOW", countedRules: ["Captcha"] });
  });

  it("inserts x-amzn-waf- headers from Allow/Count custom request handling", () => {
    const waf = engineWith([
      rule("Tag", 0, uriStarts("/"), {
        Count: { CustomRequestHandling: { InsertHeaders: [{ Name: "seen", Value: "1" }] } },
      }),
    ]);
    expect(waf.evaluate(wafRequest()).requestHeaders).toEqual({ "x-amzn-waf-seen": "1" });
  });

  it("refuses an invalid web ACL at start-up with the rule named", () => {
    expect(() =>
      engineWith([
        rule(
          "Bad",
          0,
          {
            RegexMatchStatement: {
              RegexString: "([",
              FieldToMatch: { UriPath: {} },
              TextTransformations: [],
            },
          },
          block,
        ),
      ]),
    ).toThrow(WafConfigError);
    expect(() =>
      engineWith([
        rule("NoBody", 0, uriStarts("/"), {
          Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: "missing" } },
        }),
      ]),
    ).toThrow(/Rule "NoBody".*missing/);
  });

  it("names unknown statements at start-up and lets them match nothing", () => {
    const waf = engineWith([rule("Odd", 0, { AsnMatchStatement: { AsnList: [1] } }, block)]);
    expect(waf.notEmulated).toEqual(['Rule "Odd": AsnMatchStatement is not emulated; it matches nothing']);
    expect(waf.evaluate(wafRequest()).action).toBe("ALLOW");
  });

  it("records decisions in a bounded ring, newest first, without query strings", () => {
    const waf = createWafEngine({
      webAcl: { DefaultAction: allow, Rules: [rule("B", 0, uriStarts("/b"), block)] },
      geo,
      clock: new ManualClock(Date.UTC(2026, 0, 1)),
      decisionLogSize: 3,
    });
    for (const uri of ["/a1", "/a2", "/b", "/a3"])
      waf.evaluate(wafRequest({ uri, queryString: "code=secret" }));
    const recent = waf.recentDecisions();
    expect(recent.map((d) => d.uri)).toEqual(["/a3", "/b", "/a2"]);
    expect(recent[1]).toMatchObject({
      action: "BLOCK",
      terminatingRule: "B",
      clientIp: "203.0.113.10",
      country: "US",
    });
    expect(JSON.stringify(recent)).not.toContain("secret");
    expect(waf.recentDecisions(1)).toHaveLength(1);
  });
});

describe("createWafEngine: statements", () => {
  const blockIf = (
    statement: unknown,
    extra: Record<string, unknown> = {},
    options: { ipSets?: Record<string, string[]> } = {},
  ) =>
    createWafEngine({
      webAcl: { DefaultAction: allow, Rules: [rule("R", 0, statement, block)], ...extra },
      geo,
      ...options,
    });

  it("GeoMatchStatement with ForwardedIPConfig reads the country of the header's IP", () => {
    const waf = blockIf({
      GeoMatchStatement: {
        CountryCodes: ["GB"],
        ForwardedIPConfig: { HeaderName: "X-Client-IP", FallbackBehavior: "NO_MATCH" },
      },
    });
    expect(
      waf.evaluate(wafRequest({ headers: { "user-agent": "x", "x-client-ip": "81.2.69.142" } })).action,
    ).toBe("BLOCK");
    expect(
      waf.evaluate(wafRequest({ headers: { "user-agent": "x", "x-client-ip": "8.8.8.8" } })).action,
    ).toBe("ALLOW");
    expect(waf.evaluate(wafRequest({ headers: { "user-agent": "x" } })).action).toBe("ALLOW");
  });

  it("AndStatement / OrStatement combine their parts", () => {
    const post = {
      ByteMatchStatement: {
        FieldToMatch: { Method: {} },
        PositionalConstraint: "EXACTLY",
        SearchString: "POST",
        TextTransformations: [],
      },
    };
    const and = blockIf({ AndStatement: { Statements: [post, uriStarts("/api")] } });
    expect(and.evaluate(wafRequest({ uri: "/api/x" })).action).toBe("BLOCK");
    expect(and.evaluate(wafRequest({ uri: "/api/x", method: "GET" })).action).toBe("ALLOW");
    const or = blockIf({ OrStatement: { Statements: [uriStarts("/a"), uriStarts("/b")] } });
    expect(or.evaluate(wafRequest({ uri: "/b" })).action).toBe("BLOCK");
    expect(or.evaluate(wafRequest({ uri: "/c" })).action).toBe("ALLOW");
  });

  it("ByteMatchStatement applies text transformations and positional constraints", () => {
    const waf = blockIf({
      ByteMatchStatement: {
        FieldToMatch: { SingleQueryArgument: { Name: "q" } },
        PositionalConstraint: "CONTAINS_WORD",
        SearchString: "drop",
        TextTransformations: [
          { Priority: 1, Type: "LOWERCASE" },
          { Priority: 0, Type: "URL_DECODE" },
        ],
      },
    });
    expect(waf.evaluate(wafRequest({ queryString: "q=please%20DROP%20it" })).action).toBe("BLOCK");
    expect(waf.evaluate(wafRequest({ queryString: "q=dropbox" })).action).toBe("ALLOW");
    expect(waf.evaluate(wafRequest({ queryString: "other=drop" })).action).toBe("ALLOW");
  });

  it("SizeConstraintStatement compares the byte size of a field", () => {
    const waf = blockIf({
      SizeConstraintStatement: {
        FieldToMatch: { SingleHeader: { Name: "X-Big" } },
        ComparisonOperator: "GT",
        Size: 5,
        TextTransformations: [],
      },
    });
    expect(waf.evaluate(wafRequest({ headers: { "x-big": "123456" } })).action).toBe("BLOCK");
    expect(waf.evaluate(wafRequest({ headers: { "x-big": "12345" } })).action).toBe("ALLOW");
  });

  it("Body inspection honours OversizeHandling past the 16 KB inspection limit", () => {
    const big = Buffer.alloc(17 * 1024, "a");
    const contains = (OversizeHandling: string) =>
      blockIf({
        ByteMatchStatement: {
          FieldToMatch: { Body: { OversizeHandling } },
          PositionalConstraint: "CONTAINS",
          SearchString: "zzz",
          TextTransformations: [],
        },
      });
    expect(contains("MATCH").evaluate(wafRequest({ body: big })).action).toBe("BLOCK");
    expect(contains("NO_MATCH").evaluate(wafRequest({ body: big })).action).toBe("ALLOW");
    const tail = Buffer.concat([big, Buffer.from("zzz")]);
    expect(contains("CONTINUE").evaluate(wafRequest({ body: tail })).action).toBe("ALLOW");
    expect(contains("CONTINUE").evaluate(wafRequest({ body: Buffer.from("xxzzz") })).action).toBe("BLOCK");
  });

  it("IPSetReferenceStatement matches the client IP against the resolved set", () => {
    const arn = "arn:aws:wafv2:us-east-1:000000000000:global/ipset/blocked/abc";
    const waf = blockIf(
      { IPSetReferenceStatement: { Arn: arn } },
      {},
      { ipSets: { [arn]: ["198.51.100.0/24"] } },
    );
    expect(waf.evaluate(wafRequest({ clientIp: "198.51.100.77" })).action).toBe("BLOCK");
    expect(waf.evaluate(wafRequest({ clientIp: "198.51.101.1" })).action).toBe("ALLOW");
    const missing = blockIf({ IPSetReferenceStatement: { Arn: "arn:unknown" } });
    expect(missing.notEmulated[0]).toMatch(/arn:unknown was not provided/);
  });

  it("RegexMatchStatement supports a leading (?i)", () => {
    const waf = blockIf({
      RegexMatchStatement: {
        RegexString: "(?i)^/wp-",
        FieldToMatch: { UriPath: {} },
        TextTransformations: [],
      },
    });
    expect(waf.evaluate(wafRequest({ uri: "/WP-login.php" })).action).toBe("BLOCK");
    expect(waf.evaluate(wafRequest({ uri: "/home" })).action).toBe("ALLOW");
  });

  it("LabelMatchStatement sees labels added by earlier rules", () => {
    const waf = createWafEngine({
      webAcl: {
        Name: "acl",
        DefaultAction: allow,
        Rules: [
          rule("Mark", 0, uriStarts("/m"), count, { RuleLabels: [{ Name: "team:marked" }] }),
          rule("ByLabel", 1, { LabelMatchStatement: { Scope: "LABEL", Key: "team:marked" } }, block),
          rule(
            "ByNamespace",
            2,
            { LabelMatchStatement: { Scope: "NAMESPACE", Key: "awswaf:clientip:geo:country:" } },
            count,
          ),
        ],
      },
      geo,
    });
    expect(waf.evaluate(wafRequest({ uri: "/m" }))).toMatchObject({
      action: "BLOCK",
      terminatingRule: "ByLabel",
    });
    expect(waf.evaluate(wafRequest({ uri: "/x" })).action).toBe("ALLOW");
  });

  it("XssMatchStatement flags script in a query argument", () => {
    const waf = blockIf({
      XssMatchStatement: {
        FieldToMatch: { AllQueryArguments: {} },
        TextTransformations: [{ Priority: 0, Type: "URL_DECODE" }],
      },
    });
    expect(waf.evaluate(wafRequest({ queryString: "a=%3Cscript%3Ealert(1)%3C%2Fscript%3E" })).action).toBe(
      "BLOCK",
    );
    expect(waf.evaluate(wafRequest({ queryString: "a=hello" })).action).toBe("ALLOW");
  });
});

describe("createWafEngine: the stack's own rule groups (RuleGroupReferenceStatement)", () => {
  const arn = "arn:aws:wafv2:us-east-1:000000000000:global/rulegroup/fixture-block-rules/abc";
  const headerIs = (name: string, value: string) => ({
    ByteMatchStatement: {
      FieldToMatch: { SingleHeader: { Name: name } },
      PositionalConstraint: "EXACTLY",
      SearchString: value,
      TextTransformations: [{ Priority: 0, Type: "NONE" }],
    },
  });
  const group = {
    Name: "fixture-block-rules",
    Scope: "CLOUDFRONT",
    Capacity: 50,
    CustomResponseBodies: { Denied: { ContentType: "APPLICATION_JSON", Content: '{"blocked":true}' } },
    Rules: [
      rule("TagApi", 0, uriStarts("/api"), count, { RuleLabels: [{ Name: "api" }] }),
      rule("BlockHeader", 2, headerIs("x-fixture-block", "yes"), block),
      rule("BlockedPath", 1, uriStarts("/api/blocked"), {
        Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: "Denied" } },
      }),
    ],
  };
  const reference = (extra: object = {}, ruleExtra: object = {}) => ({
    Name: "OwnRules",
    Priority: 0,
    OverrideAction: { None: {} },
    Statement: { RuleGroupReferenceStatement: { Arn: arn, ...extra } },
    VisibilityConfig: {},
    ...ruleExtra,
  });
  const engine = (rules: unknown[], ruleGroups: Record<string, Record<string, unknown>> = { [arn]: group }) =>
    createWafEngine({ webAcl: { Name: "acl", DefaultAction: allow, Rules: rules }, geo, ruleGroups });

  it("runs the group's rules by priority with the group's custom bodies, naming the inner rule", () => {
    const waf = engine([reference()]);
    const blocked = waf.evaluate(wafRequest({ uri: "/api/blocked/x" }));
    expect(blocked).toMatchObject({
      action: "BLOCK",
      terminatingRule: "OwnRules",
      terminatingRuleGroupRule: "BlockedPath",
      countedRules: ["OwnRules:TagApi"],
    });
    expect(blocked.response).toMatchObject({ status: 429, body: '{"blocked":true}' });
    expect(blocked.labels).toContain("awswaf:000000000000:rulegroup:fixture-block-rules:api");
    const byHeader = waf.evaluate(wafRequest({ uri: "/", headers: { "x-fixture-block": "yes" } }));
    expect(byHeader).toMatchObject({ action: "BLOCK", terminatingRuleGroupRule: "BlockHeader" });
    expect(byHeader.response).toEqual({ status: 403, headers: {} });
    expect(waf.evaluate(wafRequest({ uri: "/api/ok" }))).toMatchObject({ action: "ALLOW" });
    expect(waf.notEmulated).toEqual([]);
  });

  it("lets later web ACL rules run when the group does not terminate", () => {
    const waf = engine([reference(), rule("BlockAdmin", 1, uriStarts("/admin"), block)]);
    expect(waf.evaluate(wafRequest({ uri: "/admin" }))).toMatchObject({ terminatingRule: "BlockAdmin" });
  });

  it("counts instead of blocking with OverrideAction Count, RuleActionOverrides or ExcludedRules", () => {
    const counted = engine([reference({}, { OverrideAction: { Count: {} } })]).evaluate(
      wafRequest({ uri: "/api/blocked" }),
    );
    expect(counted).toMatchObject({
      action: "ALLOW",
      countedRules: ["OwnRules:TagApi", "OwnRules:BlockedPath"],
    });
    const overridden = engine([
      reference({ RuleActionOverrides: [{ Name: "BlockedPath", ActionToUse: { Count: {} } }] }),
    ]).evaluate(wafRequest({ uri: "/api/blocked", headers: { "x-fixture-block": "yes" } }));
    expect(overridden).toMatchObject({ action: "BLOCK", terminatingRuleGroupRule: "BlockHeader" });
    const excluded = engine([reference({ ExcludedRules: [{ Name: "BlockedPath" }] })]).evaluate(
      wafRequest({ uri: "/api/blocked" }),
    );
    expect(excluded.action).toBe("ALLOW");
  });

  it("applies the reference's scope-down statement", () => {
    const waf = engine([reference({ ScopeDownStatement: uriStarts("/api") })]);
    expect(waf.evaluate(wafRequest({ uri: "/", headers: { "x-fixture-block": "yes" } })).action).toBe(
      "ALLOW",
    );
    expect(waf.evaluate(wafRequest({ uri: "/api", headers: { "x-fixture-block": "yes" } })).action).toBe(
      "BLOCK",
    );
  });

  it("names a group that is not the stack's own, and a rule override naming no rule", () => {
    const other = engine([reference()], {});
    expect(other.evaluate(wafRequest({ uri: "/api/blocked" })).action).toBe("ALLOW");
    expect(other.notEmulated).toEqual([
      `Rule "OwnRules": rule group ${arn} is not a rule group of this stack (not emulated); it matches nothing`,
    ]);
    const typo = engine([reference({ ExcludedRules: [{ Name: "Nope" }] })]);
    expect(typo.notEmulated).toEqual([
      'Rule "OwnRules": rule group fixture-block-rules has no rule named Nope',
    ]);
  });

  it("refuses a group with a priority used twice or a nested group", () => {
    const twice = {
      ...group,
      Rules: [rule("A", 0, uriStarts("/a"), block), rule("B", 0, uriStarts("/b"), block)],
    };
    expect(() => engine([reference()], { [arn]: twice })).toThrow(WafConfigError);
    const nested = {
      ...group,
      Rules: [rule("N", 0, { RuleGroupReferenceStatement: { Arn: arn } }, block)],
    };
    expect(() => engine([reference()], { [arn]: nested })).toThrow(/cannot nest a rule group/);
  });
});
