import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ResolveScope, resolveValue, TemplateResolveError } from "./intrinsics.js";
import {
  type CfnTemplate,
  conditionEvaluator,
  importValueForStack,
  parameterValue,
  pseudoParameter,
  readAssemblyStacks,
  readSynthesizedStack,
  templateOnlyScope,
} from "./template.js";

const ACCOUNT = "000000000000";
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes a cloud assembly of `stacks` (artifact id -> template) the way `cdk synth` lays it out. */
function assembly(stacks: Record<string, CfnTemplate>, region = "eu-west-1"): string {
  const dir = mkdtempSync(join(tmpdir(), "furl-assembly-"));
  dirs.push(dir);
  const artifacts: Record<string, unknown> = {};
  for (const [id, template] of Object.entries(stacks)) {
    writeFileSync(join(dir, `${id}.template.json`), JSON.stringify(template));
    artifacts[id] = {
      type: "aws:cloudformation:stack",
      environment: `aws://unknown-account/${region}`,
      properties: { templateFile: `${id}.template.json`, stackName: id },
    };
  }
  artifacts.Tree = { type: "cdk:tree" };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "55.0.0", artifacts }));
  return dir;
}

const producer: CfnTemplate = {
  Parameters: { Env: { Type: "String", Default: "qa" } },
  Mappings: { Names: { qa: { Bucket: "qa-assets" } } },
  Conditions: { IsQa: { "Fn::Equals": [{ Ref: "Env" }, "qa"] } },
  Resources: { Bucket: { Type: "AWS::S3::Bucket" } },
  Outputs: {
    BucketName: {
      Value: { "Fn::FindInMap": ["Names", { Ref: "Env" }, "Bucket"] },
      Export: { Name: { "Fn::Sub": "${AWS::StackName}:BucketName" } },
    },
    Region: { Value: { Ref: "AWS::Region" }, Export: { Name: "shared-region" } },
    Arn: { Value: { "Fn::GetAtt": ["Bucket", "Arn"] }, Export: { Name: "shared-bucket-arn" } },
    OnlyInProd: {
      Condition: "IsProd",
      Value: "p",
      Export: { Name: "only-in-prod" },
    },
    NotExported: { Value: "x" },
  },
};
producer.Conditions!.IsProd = { "Fn::Not": [{ Condition: "IsQa" }] };

const consumer: CfnTemplate = { Resources: { Topic: { Type: "AWS::SNS::Topic" } } };

describe("readAssemblyStacks / readSynthesizedStack", () => {
  it("reads every stack of the assembly, and one by name", () => {
    const dir = assembly({ Shared: producer, App: consumer });
    expect(readAssemblyStacks(dir).map((s) => [s.stackName, s.region])).toEqual([
      ["Shared", "eu-west-1"],
      ["App", "eu-west-1"],
    ]);
    expect(readSynthesizedStack(dir, "App").template).toEqual(consumer);
    expect(() => readSynthesizedStack(dir)).toThrow(/only one expected.*stacks: Shared, App/);
  });
});

describe("importValueForStack (Fn::ImportValue across the stacks of one assembly)", () => {
  const dir = assembly({ Shared: producer, App: consumer });
  const app = () => readSynthesizedStack(dir, "App");

  it("resolves exports whose value the exporter's template alone determines", () => {
    const importValue = importValueForStack(app(), ACCOUNT);
    expect(importValue("Shared:BucketName")).toBe("qa-assets");
    expect(importValue("shared-region")).toBe("eu-west-1");
  });

  it("skips exports whose condition is false and outputs without Export", () => {
    const importValue = importValueForStack(app(), ACCOUNT);
    expect(importValue("only-in-prod")).toBeUndefined();
    expect(importValue("NotExported")).toBeUndefined();
  });

  it("names the exporter to run when an export refers to its resources", () => {
    expect(() => importValueForStack(app(), ACCOUNT)("shared-bucket-arn")).toThrow(
      /Bucket is a resource of stack Shared, which the kit does not run \(start it with --stack Shared\)/,
    );
  });

  it("goes through a resolver scope: a consumer's Fn::ImportValue becomes the exported value", () => {
    const importValue = importValueForStack(app(), ACCOUNT);
    const scope: ResolveScope = { ...templateOnlyScope(app(), ACCOUNT), importValue };
    const value = { "Fn::Join": ["/", [{ "Fn::ImportValue": "Shared:BucketName" }, "key"]] };
    expect(resolveValue(value, scope)).toBe("qa-assets/key");
    expect(() => resolveValue({ "Fn::ImportValue": "App:Nothing" }, scope)).toThrow(
      /no stack of this app exports "App:Nothing"/,
    );
  });

  it("does not import from the stack itself, and finds nothing beside a lone template", () => {
    const shared = readSynthesizedStack(dir, "Shared");
    expect(importValueForStack(shared, ACCOUNT)("shared-region")).toBeUndefined();
    const lone = mkdtempSync(join(tmpdir(), "furl-lone-"));
    dirs.push(lone);
    mkdirSync(join(lone, "x"));
    const stack = { ...app(), assemblyDir: join(lone, "x") };
    expect(importValueForStack(stack, ACCOUNT)("Shared:BucketName")).toBeUndefined();
  });
});

describe("parameterValue", () => {
  const template: CfnTemplate = {
    Parameters: {
      Stage: { Type: "String", Default: "dev", AllowedValues: ["dev", "prod"] },
      Size: { Type: "Number", Default: 3 },
      Cidrs: { Type: "CommaDelimitedList", Default: "10.0.0.0/24, 10.0.1.0/24" },
      Empty: { Type: "CommaDelimitedList", Default: "" },
      Required: { Type: "String" },
      BootstrapVersion: {
        Type: "AWS::SSM::Parameter::Value<String>",
        Default: "/cdk-bootstrap/hnb659fds/version",
      },
    },
    Resources: {},
  };

  it("gives the default as a string, list types as space-trimmed lists", () => {
    expect(parameterValue(template, "Stage")).toBe("dev");
    expect(parameterValue(template, "Size")).toBe("3");
    expect(parameterValue(template, "Cidrs")).toEqual(["10.0.0.0/24", "10.0.1.0/24"]);
    expect(parameterValue(template, "Empty")).toEqual([]);
    expect(parameterValue(template, "Stage", { Stage: "prod" })).toBe("prod");
    expect(parameterValue(template, "Nope")).toBeUndefined();
    expect(parameterValue(template, "toString")).toBeUndefined();
  });

  it("says clearly what is missing or not allowed", () => {
    expect(() => parameterValue(template, "Required")).toThrow(
      /Parameter Required \(String\) has no Default and no value was given/,
    );
    expect(parameterValue(template, "Required", { Required: "given" })).toBe("given");
    expect(() => parameterValue(template, "Stage", { Stage: "qa" })).toThrow(/not one of AllowedValues/);
    expect(() => parameterValue(template, "BootstrapVersion")).toThrow(
      /read from SSM parameter \/cdk-bootstrap\/hnb659fds\/version .* not available locally/,
    );
  });
});

describe("conditionEvaluator", () => {
  const template: CfnTemplate = {
    Parameters: { Stage: { Type: "String", Default: "prod" }, Region2: { Type: "String", Default: "" } },
    Conditions: {
      IsProd: { "Fn::Equals": [{ Ref: "Stage" }, "prod"] },
      HasRegion2: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "Region2" }, ""] }] },
      ProdOnly: { "Fn::And": [{ Condition: "IsProd" }, { "Fn::Not": [{ Condition: "HasRegion2" }] }] },
      Either: { "Fn::Or": [{ Condition: "HasRegion2" }, { Condition: "IsProd" }] },
      Loop: { "Fn::Not": [{ Condition: "Loop2" }] },
      Loop2: { "Fn::Not": [{ Condition: "Loop" }] },
      NotBoolean: { Ref: "Stage" },
    },
    Resources: {},
  };
  const stack = {
    stackName: "S",
    templatePath: "/nowhere/S.template.json",
    assemblyDir: "/nowhere",
    template,
    region: "us-east-1",
  };
  const scope = templateOnlyScope(stack, ACCOUNT);

  it("evaluates conditions over parameters and other conditions", () => {
    expect(scope.condition("IsProd")).toBe(true);
    expect(scope.condition("HasRegion2")).toBe(false);
    expect(scope.condition("ProdOnly")).toBe(true);
    expect(scope.condition("Either")).toBe(true);
    expect(resolveValue({ "Fn::If": ["ProdOnly", "big", "small"] }, scope)).toBe("big");
  });

  it("evaluates each condition once", () => {
    let refs = 0;
    const counting: ResolveScope = {
      ...scope,
      ref: (id) => {
        refs += 1;
        return scope.ref(id);
      },
    };
    const condition = conditionEvaluator(template, () => counting);
    condition("IsProd");
    condition("IsProd");
    expect(refs).toBe(1);
  });

  it("refuses unknown, circular and non-boolean conditions", () => {
    expect(() => scope.condition("Nope")).toThrow(/Unknown condition Nope/);
    expect(() => scope.condition("Loop")).toThrow(/refers to itself/);
    expect(() => scope.condition("NotBoolean")).toThrow(TemplateResolveError);
  });
});

describe("pseudoParameter", () => {
  it("answers the pseudo parameters, partition by region", () => {
    const id = { stackName: "S", region: "cn-north-1", accountId: ACCOUNT };
    expect(pseudoParameter("AWS::Partition", id)).toBe("aws-cn");
    expect(pseudoParameter("AWS::URLSuffix", { ...id, region: "us-east-1" })).toBe("amazonaws.com");
    expect(pseudoParameter("AWS::StackId", id)).toBe(
      `arn:aws:cloudformation:cn-north-1:${ACCOUNT}:stack/S/local`,
    );
    expect(pseudoParameter("Stage", id)).toBeUndefined();
  });
});
