// Deploy rehearsal, offline: the synthesized templates of both targets against CloudFormation's resource
// schemas (from @aws-cdk/aws-service-spec, the database CDK's L1 classes are generated from).
import { beforeAll, describe, expect, it } from "vitest";
import { validateAgainstResourceSchemas } from "./testing/resourceSchemas.js";
import { placeholderBuilds, SAMPLE_LOCAL_IDENTITY, synthStack } from "./testing/synthStack.js";

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped.
type Json = any;

let aws: Json;
beforeAll(() => {
  aws = synthStack().template.toJSON();
}, 120_000);

/** The aws template with one change made by `edit` to a copy. */
function edited(edit: (resources: Record<string, Json>) => void): Json {
  const copy = structuredClone(aws);
  edit(copy.Resources);
  return copy;
}
const firstOf = (resources: Record<string, Json>, type: string) =>
  Object.values(resources).find((r) => r.Type === type)!;

describe("the synthesized templates against CloudFormation's resource schemas", () => {
  it("the aws target: every resource type, property, value and GetAtt attribute exists as used", () => {
    expect(validateAgainstResourceSchemas(aws)).toEqual([]);
  });

  it("the localstack target too", () => {
    const { template } = synthStack({
      ...placeholderBuilds(),
      target: "localstack",
      localIdentity: SAMPLE_LOCAL_IDENTITY,
    });
    expect(validateAgainstResourceSchemas(template.toJSON() as Json)).toEqual([]);
  }, 60_000);

  it.each([
    [
      "an unknown property",
      (r: Record<string, Json>) => {
        firstOf(r, "AWS::Lambda::Function").Properties.MemorySizeMb = 256;
      },
      /Properties: unknown property MemorySizeMb/,
    ],
    [
      "a value of the wrong type",
      (r: Record<string, Json>) => {
        firstOf(r, "AWS::Lambda::Function").Properties.MemorySize = "a lot";
      },
      /MemorySize: "a lot" is not a integer/,
    ],
    [
      "a missing required property",
      (r: Record<string, Json>) => {
        delete firstOf(r, "AWS::Lambda::Function").Properties.Role;
      },
      /required property Role is missing/,
    ],
    [
      "a value outside the allowed ones",
      (r: Record<string, Json>) => {
        firstOf(r, "AWS::Lambda::Url").Properties.AuthType = "COGNITO";
      },
      /AuthType: "COGNITO" is not one of/,
    ],
    [
      "a wrong value deep in a structure",
      (r: Record<string, Json>) => {
        firstOf(
          r,
          "AWS::CloudFront::Distribution",
        ).Properties.DistributionConfig.DefaultCacheBehavior.Compress = "yes";
      },
      /DefaultCacheBehavior\.Compress: "yes" is not a boolean/,
    ],
    [
      "an attribute the type does not have",
      (r: Record<string, Json>) => {
        firstOf(r, "AWS::CloudFront::Distribution").Properties.DistributionConfig.Origins[0].DomainName = {
          "Fn::GetAtt": ["ApiFunctionFunctionUrlFF5ECAE6", "Hostname"],
        };
      },
      /AWS::Lambda::Url has no attribute "Hostname"/,
    ],
    [
      "a resource type CloudFormation does not have",
      (r: Record<string, Json>) => {
        firstOf(r, "AWS::Amplify::Branch").Type = "AWS::Amplify::Site";
      },
      /AWS::Amplify::Site is not a CloudFormation resource type/,
    ],
  ])("finds %s", (_, edit, problem) => {
    const problems = validateAgainstResourceSchemas(edited(edit));
    expect(problems.join("\n")).toMatch(problem);
  });
});
