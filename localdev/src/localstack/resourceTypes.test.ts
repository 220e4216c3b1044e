// With CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES=0 a type LocalStack lacks fails the deploy: every type the CDK
// bootstrap template and the localstack stack use must have a CloudFormation provider in LocalStack 4.14.0.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  placeholderBuilds,
  SAMPLE_LOCAL_IDENTITY,
  synthStack,
} from "../../../infra/lib/testing/synthStack.js";

/** Types with a provider under localstack-core/localstack/services/<service>/resource_providers/ at v4.14.0. */
const LOCALSTACK_4_14_PROVIDERS = new Set([
  "AWS::CDK::Metadata",
  "AWS::ECR::Repository",
  "AWS::IAM::ManagedPolicy",
  "AWS::IAM::Policy",
  "AWS::IAM::Role",
  "AWS::KMS::Alias",
  "AWS::KMS::Key",
  "AWS::Lambda::Function",
  "AWS::Lambda::Permission",
  "AWS::Lambda::Url",
  "AWS::Logs::LogGroup",
  "AWS::S3::Bucket",
  "AWS::S3::BucketPolicy",
  "AWS::SSM::Parameter",
]);

describe("resource types deployed to LocalStack", () => {
  it("the localstack stack uses only types LocalStack 4.14 can create", () => {
    const { template } = synthStack({
      ...placeholderBuilds(),
      target: "localstack",
      localIdentity: SAMPLE_LOCAL_IDENTITY,
    });
    const types = new Set(
      Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type),
    );
    expect([...types].filter((type) => !LOCALSTACK_4_14_PROVIDERS.has(type))).toEqual([]);
  }, 60_000);

  it("so does the CDK CLI's bootstrap template that `cdklocal bootstrap` deploys", () => {
    const cli = dirname(createRequire(import.meta.url).resolve("aws-cdk/package.json"));
    const yaml = readFileSync(join(cli, "lib", "api", "bootstrap", "bootstrap-template.yaml"), "utf8");
    const types = new Set([...yaml.matchAll(/^\s+Type: ((?:AWS|Custom)::\S+)$/gm)].map((m) => m[1]!));
    expect(types.size).toBeGreaterThan(5);
    expect([...types].filter((type) => !LOCALSTACK_4_14_PROVIDERS.has(type))).toEqual([]);
  });
});
