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
};

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
    expect(() => resolveValue({ "Fn::ImportValue": "x" }, scope)).toThrow(TemplateResolveError);
    expect(() => resolveValue({ "Fn::Select": [5, ["a"]] }, scope)).toThrow(/out of range/);
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
