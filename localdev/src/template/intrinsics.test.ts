import { describe, expect, it } from "vitest";
import { EndpointMap } from "./endpoints.js";
import { type ResolveScope, resolveValue, TemplateResolveError } from "./intrinsics.js";

const scope: ResolveScope = {
  ref: (id) => ({ Pool: "us-east-1_AbC123xyZ", "AWS::Region": "us-east-1", Domain: "furl-kit-1" })[id],
  getAtt: (id, attribute) => {
    if (id === "Url" && attribute === "FunctionUrl") return "https://abc123.lambda-url.us-east-1.on.aws/";
    throw new TemplateResolveError(`no ${id}.${attribute}`);
  },
  dynamicReference: (service, reference) => `<${service}|${reference}>`,
  condition: (name) => name === "IsProd",
  mapping: (name) =>
    ({ Tiers: { dev: { Tier: "small", Zones: ["a", "b"] }, prod: { Tier: "large" } } })[name] as
      | Record<string, Record<string, unknown>>
      | undefined,
  importValue: (name) => ({ "Shared:BucketName": "shared-bucket" })[name],
};

const noImports: ResolveScope = { ...scope, importValue: undefined, mapping: undefined };

describe("resolveValue", () => {
  it("resolves Ref, Fn::Join and Fn::Sub with variables and attributes", () => {
    expect(
      resolveValue(
        { "Fn::Join": ["", ["https://", { Ref: "Domain" }, ".auth.", { Ref: "AWS::Region" }]] },
        scope,
      ),
    ).toBe("https://furl-kit-1.auth.us-east-1");
    expect(
      resolveValue({ "Fn::Sub": ["${Pool}/${X} ${Url.FunctionUrl} ${!Literal}", { X: "x" }] }, scope),
    ).toBe("us-east-1_AbC123xyZ/x https://abc123.lambda-url.us-east-1.on.aws/ ${Literal}");
  });

  it("takes the Function URL's domain apart the way CDK's FunctionUrlOrigin does", () => {
    const domain = { "Fn::Select": [2, { "Fn::Split": ["/", { "Fn::GetAtt": ["Url", "FunctionUrl"] }] }] };
    expect(resolveValue(domain, scope)).toBe("abc123.lambda-url.us-east-1.on.aws");
  });

  it("drops AWS::NoValue properties and evaluates Fn::If conditions", () => {
    const value = {
      A: { Ref: "AWS::NoValue" },
      B: { "Fn::If": ["IsProd", "p", "d"] },
      C: [1, { Ref: "AWS::NoValue" }],
    };
    expect(resolveValue(value, scope)).toEqual({ B: "p", C: [1] });
  });

  it("resolves dynamic references inside strings", () => {
    expect(resolveValue("{{resolve:secretsmanager:arn:aws:x:SecretString:::}}", scope)).toBe(
      "<secretsmanager|arn:aws:x:SecretString:::>",
    );
    const joined = { "Fn::Join": ["", ["{{resolve:secretsmanager:", { Ref: "Pool" }, ":SecretString:::}}"]] };
    expect(resolveValue(joined, scope)).toBe("<secretsmanager|us-east-1_AbC123xyZ:SecretString:::>");
  });

  it("names the place of an unknown Ref or an unsupported function", () => {
    expect(() => resolveValue({ P: { Ref: "Nope" } }, scope)).toThrow(/Ref to unknown "Nope" at \$\.P/);
    expect(() => resolveValue({ "Fn::Cidr": ["10.0.0.0/16", 2, 8] }, scope)).toThrow(
      /Fn::Cidr .*not supported/,
    );
    expect(() => resolveValue({ "Fn::Select": [5, ["a"]] }, scope)).toThrow(/out of range/);
  });
});

describe("resolveValue: Mappings, imports, conditions", () => {
  it("finds values in a mapping, keys given by intrinsics", () => {
    expect(resolveValue({ "Fn::FindInMap": ["Tiers", "dev", "Tier"] }, scope)).toBe("small");
    const byCondition = { "Fn::FindInMap": ["Tiers", { "Fn::If": ["IsProd", "prod", "dev"] }, "Tier"] };
    expect(resolveValue(byCondition, scope)).toBe("large");
    expect(resolveValue({ "Fn::Select": [1, { "Fn::FindInMap": ["Tiers", "dev", "Zones"] }] }, scope)).toBe(
      "b",
    );
  });

  it("uses the DefaultValue of the language-extensions form only when a key is missing", () => {
    const withDefault = (top: string) => ({
      "Fn::FindInMap": ["Tiers", top, "Tier", { DefaultValue: { "Fn::Join": ["-", ["x", "y"]] } }],
    });
    expect(resolveValue(withDefault("qa"), scope)).toBe("x-y");
    expect(resolveValue(withDefault("prod"), scope)).toBe("large");
  });

  it("names the mapping and the missing key", () => {
    expect(() => resolveValue({ "Fn::FindInMap": ["Tiers", "qa", "Tier"] }, scope)).toThrow(
      /mapping "Tiers" has no key "qa"/,
    );
    expect(() => resolveValue({ "Fn::FindInMap": ["Tiers", "dev", "Memory"] }, scope)).toThrow(
      /"dev"\."Memory"/,
    );
    expect(() => resolveValue({ "Fn::FindInMap": ["Nope", "dev", "Tier"] }, scope)).toThrow(
      /no mapping named "Nope"/,
    );
    expect(() => resolveValue({ "Fn::FindInMap": ["Tiers", "dev"] }, scope)).toThrow(/needs \[map/);
    expect(() => resolveValue({ "Fn::FindInMap": ["Tiers", "dev", "Tier"] }, noImports)).toThrow(
      /no mapping named/,
    );
  });

  it("imports values other stacks export, and says when none does", () => {
    expect(resolveValue({ "Fn::ImportValue": "Shared:BucketName" }, scope)).toBe("shared-bucket");
    const named = { "Fn::ImportValue": { "Fn::Sub": "Shared:${Kind}" } };
    expect(() => resolveValue(named, scope)).toThrow(/Fn::Sub names unknown "Kind"/);
    expect(() => resolveValue({ "Fn::ImportValue": "Shared:Other" }, scope)).toThrow(
      /no stack of this app exports "Shared:Other"/,
    );
    expect(() => resolveValue({ "Fn::ImportValue": "Shared:BucketName" }, noImports)).toThrow(
      /no other stack to import from/,
    );
  });

  it("evaluates Equals, And, Or and Not, comparing parameter strings with literals", () => {
    const c = (value: unknown) => resolveValue(value, scope);
    expect(c({ "Fn::Equals": [{ Ref: "AWS::Region" }, "us-east-1"] })).toBe(true);
    expect(c({ "Fn::Equals": ["1", 1] })).toBe(true);
    expect(c({ "Fn::Equals": [["a"], ["a"]] })).toBe(true);
    expect(c({ "Fn::Equals": ["a", "A"] })).toBe(false);
    expect(c({ "Fn::And": [{ Condition: "IsProd" }, { "Fn::Equals": ["a", "a"] }] })).toBe(true);
    expect(c({ "Fn::And": [{ Condition: "IsProd" }, { Condition: "IsDev" }] })).toBe(false);
    expect(c({ "Fn::Or": [{ Condition: "IsDev" }, { "Fn::Not": [{ Condition: "IsProd" }] }] })).toBe(false);
    expect(c({ "Fn::Or": [{ Condition: "IsDev" }, { Condition: "IsProd" }] })).toBe(true);
    expect(c({ "Fn::Not": [{ Condition: "IsDev" }] })).toBe(true);
  });

  it("rejects malformed conditions instead of guessing", () => {
    expect(() => resolveValue({ "Fn::And": [{ Condition: "IsProd" }] }, scope)).toThrow(/2 to 10/);
    expect(() => resolveValue({ "Fn::Or": Array(11).fill({ Condition: "IsProd" }) }, scope)).toThrow(
      /2 to 10/,
    );
    expect(() => resolveValue({ "Fn::Not": [{ Ref: "Pool" }] }, scope)).toThrow(/is not a condition/);
    expect(() => resolveValue({ "Fn::If": ["IsProd", "a"] }, scope)).toThrow(/Fn::If .* needs/);
  });

  it("keeps an object under a property named Condition as data", () => {
    const statement = { Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::Region" } } } };
    expect(resolveValue(statement, scope)).toEqual({
      Condition: { StringEquals: { "aws:SourceAccount": "us-east-1" } },
    });
  });

  it("removes a property or list item when Fn::If picks AWS::NoValue", () => {
    const value = {
      Keep: "k",
      Gone: { "Fn::If": ["IsDev", "dev", { Ref: "AWS::NoValue" }] },
      List: ["a", { "Fn::If": ["IsProd", { Ref: "AWS::NoValue" }, "b"] }, "c"],
      Nested: { Inner: { "Fn::If": ["IsProd", { Ref: "AWS::NoValue" }, 1] } },
    };
    expect(resolveValue(value, scope)).toEqual({ Keep: "k", List: ["a", "c"], Nested: {} });
    expect(resolveValue({ Ref: "AWS::NoValue" }, scope)).toBeUndefined();
  });
});

describe("resolveValue: Select, Split, Join, Sub edge cases", () => {
  const r = (value: unknown) => resolveValue(value, scope);

  it("Select takes a string index and refuses out-of-range, negative, fractional and null items", () => {
    expect(r({ "Fn::Select": ["1", ["apples", "grapes", "oranges"]] })).toBe("grapes");
    expect(() => r({ "Fn::Select": [-1, ["a"]] })).toThrow(/out of range/);
    expect(() => r({ "Fn::Select": [0.5, ["a"]] })).toThrow(/out of range/);
    expect(() => r({ "Fn::Select": ["x", ["a"]] })).toThrow(/out of range/);
    expect(() => r({ "Fn::Select": [0, []] })).toThrow(/out of range for 0 items/);
    expect(() => r({ "Fn::Select": [0, [null]] })).toThrow(/item 0 is null/);
    expect(() => r({ "Fn::Select": [0, "a,b"] })).toThrow(/needs a list/);
  });

  it("Split keeps empty strings between adjacent delimiters and at the ends", () => {
    expect(r({ "Fn::Split": ["|", "a||b|"] })).toEqual(["a", "", "b", ""]);
    expect(r({ "Fn::Split": [",", ""] })).toEqual([""]);
    expect(r({ "Fn::Split": ["::", "x::y"] })).toEqual(["x", "y"]);
    expect(() => r({ "Fn::Split": ["", "abc"] })).toThrow(/empty delimiter/);
    expect(() => r({ "Fn::Split": ["/", ["a"]] })).toThrow(/expected a string/);
    // The host of an HttpOrigin written from a Function URL with Select/Split, as CDK users do.
    const host = { "Fn::Select": [2, { "Fn::Split": ["/", { "Fn::GetAtt": ["Url", "FunctionUrl"] }] }] };
    expect(r({ "Fn::Join": ["", ["https://", host, "/api"]] })).toBe(
      "https://abc123.lambda-url.us-east-1.on.aws/api",
    );
  });

  it("Join of an empty list is empty; numbers join as text; a nested list item is refused", () => {
    expect(r({ "Fn::Join": [",", []] })).toBe("");
    expect(r({ "Fn::Join": ["", [1, "-", true]] })).toBe("1-true");
    expect(r({ "Fn::Join": [",", { "Fn::Split": ["/", "a/b"] }] })).toBe("a,b");
    expect(() => r({ "Fn::Join": [",", [["a"]]] })).toThrow(/Fn::Join item .* expected a string/);
    expect(() => r({ "Fn::Join": [","] })).toThrow(/needs a list of two/);
  });

  it("Sub substitutes once, keeps ${!Literal}, takes intrinsic variables and names what is unknown", () => {
    expect(r({ "Fn::Sub": "${AWS::Region}-${Pool}" })).toBe("us-east-1-us-east-1_AbC123xyZ");
    expect(r({ "Fn::Sub": "${!Pool} and ${!AWS::Region}" })).toBe("${Pool} and ${AWS::Region}");
    // A variable whose value looks like a literal marker is not substituted again.
    expect(r({ "Fn::Sub": ["${V}", { V: "${!Pool}" }] })).toBe("${!Pool}");
    expect(r({ "Fn::Sub": ["${Url.FunctionUrl}x", {}] })).toBe(
      "https://abc123.lambda-url.us-east-1.on.aws/x",
    );
    expect(r({ "Fn::Sub": ["${Host}", { Host: { "Fn::Select": [0, ["h"]] } }] })).toBe("h");
    // A variable named like a resource attribute wins over the attribute.
    expect(r({ "Fn::Sub": ["${Url.FunctionUrl}", { "Url.FunctionUrl": "mine" }] })).toBe("mine");
    expect(r({ "Fn::Sub": "no variables" })).toBe("no variables");
    expect(() => r({ "Fn::Sub": "${Nope}" })).toThrow(/Fn::Sub names unknown "Nope"/);
    expect(() => r({ "Fn::Sub": [{ Ref: "Pool" }] })).toThrow(/needs a string/);
  });

  it("GetAZs, Length and ToJsonString", () => {
    expect(r({ "Fn::GetAZs": "" })).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(r({ "Fn::Select": [0, { "Fn::GetAZs": "eu-west-1" }] })).toBe("eu-west-1a");
    expect(r({ "Fn::Length": { "Fn::Split": [",", "a,b,c"] } })).toBe(3);
    expect(r({ "Fn::ToJsonString": { a: { Ref: "Pool" } } })).toBe('{"a":"us-east-1_AbC123xyZ"}');
  });
});

describe("EndpointMap", () => {
  it("rewrites AWS URLs, plain and percent-encoded, to the local servers", () => {
    const map = new EndpointMap();
    map.add("main.d123.amplifyapp.com", "http://127.0.0.1:3000");
    map.add("furl-kit-1.auth.us-east-1.amazoncognito.com", "http://127.0.0.1:3001/");
    const url =
      "https://furl-kit-1.auth.us-east-1.amazoncognito.com/oauth2/authorize?redirect_uri=https%3A%2F%2Fmain.d123.amplifyapp.com%2F";
    expect(map.rewrite(url)).toBe(
      "http://127.0.0.1:3001/oauth2/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2F",
    );
    expect(map.rewriteDeep({ urls: ["https://main.d123.amplifyapp.com/"], n: 1 })).toEqual({
      urls: ["http://127.0.0.1:3000/"],
      n: 1,
    });
    expect(map.rewrite("https://example.com/")).toBe("https://example.com/");
  });
});
