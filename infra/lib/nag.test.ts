// cdk-nag's AwsSolutions and Serverless packs over both targets: a finding nobody acknowledged fails the synth.
import type { App } from "aws-cdk-lib";
import * as s3 from "aws-cdk-lib/aws-s3";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { placeholderBuilds, SAMPLE_LOCAL_IDENTITY, synthStack } from "./testing/synthStack.js";

const nagPacks = (app: App) => [new AwsSolutionsChecks(app), new ServerlessChecks(app)];

describe("cdk-nag", () => {
  it("finds nothing unacknowledged in the aws target", () => {
    expect(() => synthStack({}, false, nagPacks)).not.toThrow();
  }, 120_000);

  it("finds nothing unacknowledged in the localstack target", () => {
    expect(() =>
      synthStack(
        { ...placeholderBuilds(), target: "localstack", localIdentity: SAMPLE_LOCAL_IDENTITY },
        false,
        nagPacks,
      ),
    ).not.toThrow();
  }, 120_000);

  it("fails the synth on a new finding, naming the rule and the construct", () => {
    const withUnloggedBucket = (app: App) => {
      const stack = app.node.findChild("FurlKit");
      new s3.Bucket(stack, "Careless", { enforceSSL: false });
      return nagPacks(app);
    };
    const report = (() => {
      try {
        synthStack({}, false, withUnloggedBucket);
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(report).toContain("FurlKit/Careless/Resource");
    expect(report).toContain("AwsSolutions-S10"); // no TLS-only bucket policy
    expect(report).toContain("AwsSolutions-S1"); // no server access logs
  }, 120_000);
});
