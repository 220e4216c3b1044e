// The whole template passes CDK's built-in CloudFormation validation (the check `cdk synth` runs).
import { Annotations } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { synthStack } from "./testing/synthStack.js";

describe("CloudFormation validation", () => {
  it("synthesizes with strict validation on (a finding throws) and no construct errors", () => {
    // The validator's first run in a process takes about 10 s (it loads the CloudFormation schemas).
    const { stack } = synthStack({}, true);
    expect(Annotations.fromStack(stack).findError("*", {})).toEqual([]);
  }, 120_000);
});
