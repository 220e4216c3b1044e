// cdk.json carries the feature flags `cdk init` writes for this aws-cdk-lib, and the template shows them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as cxapi from "aws-cdk-lib/cx-api";
import { beforeAll, describe, expect, it } from "vitest";
import { cdkJsonContext } from "./cdkJsonContext.js";
import { LOG_RETENTION } from "./logGroups.js";
import { synthStack } from "./testing/synthStack.js";

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped.
type Json = any;

const require = createRequire(import.meta.url);
/** The file `cdk init` copies into a new app's cdk.json (shipped by aws-cdk-lib). */
const recommended = JSON.parse(
  readFileSync(require.resolve("aws-cdk-lib/recommended-feature-flags.json"), "utf8"),
) as Record<string, unknown>;

let resources: Record<string, Json>;
beforeAll(() => {
  resources = synthStack().template.toJSON().Resources;
}, 120_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe("cdk.json feature flags", () => {
  it("are exactly the flags aws-cdk-lib recommends for new apps", () => {
    const context = cdkJsonContext();
    const flags = Object.fromEntries(Object.entries(context).filter(([key]) => key in recommended));
    expect(flags).toEqual(recommended);
    const other = Object.keys(context).filter((key) => !(key in recommended));
    expect(other).toEqual(["cli-telemetry"]);
  });

  it("hold no flag CDK v2 dropped (v1's newStyleStackSynthesis and the other expired ones)", () => {
    const context = cdkJsonContext();
    expect(context).not.toHaveProperty(cxapi.NEW_STYLE_STACK_SYNTHESIS_CONTEXT);
    for (const expired of cxapi.CURRENT_VERSION_EXPIRED_FLAGS) expect(context).not.toHaveProperty(expired);
  });

  it("@aws-cdk/core:enablePartitionLiterals: the policies' ARNs say arn:aws: in this us-east-1 stack", () => {
    expect(cdkJsonContext()[cxapi.ENABLE_PARTITION_LITERALS]).toBe(true);
    const policies = JSON.stringify(ofType("AWS::IAM::Policy"));
    expect(policies).not.toContain('"Ref":"AWS::Partition"');
    expect(policies).toContain("arn:aws:ssm:us-east-1:");
    expect(policies).toContain("arn:aws:amplify:us-east-1:");
  });

  it("@aws-cdk/aws-iam:minimizePolicies: the provider's SSM writes are one statement over both parameters", () => {
    expect(cdkJsonContext()[cxapi.IAM_MINIMIZE_POLICIES]).toBe(true);
    const writes = ofType("AWS::IAM::Policy")
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((s: Json) => [s.Action].flat().includes("ssm:PutParameter"));
    expect(writes).toHaveLength(1);
    expect(writes[0].Action).toEqual(["ssm:DeleteParameter", "ssm:PutParameter"]);
    expect(writes[0].Resource).toHaveLength(2);
  });

  it("@aws-cdk/aws-lambda:useCdkManagedLogGroup: no function is left to a log group that never expires", () => {
    expect(cdkJsonContext()[cxapi.USE_CDK_MANAGED_LAMBDA_LOGGROUP]).toBe(true);
    const groups = ofType("AWS::Logs::LogGroup");
    for (const [id, fn] of ofType("AWS::Lambda::Function")) {
      // CDK's auto-delete-objects provider is a raw CfnResource: neither the flag nor a prop reaches it.
      if (id.startsWith("CustomS3AutoDeleteObjectsCustomResourceProvider")) continue;
      const groupId = fn.Properties.LoggingConfig?.LogGroup?.Ref;
      expect(groupId, `${id} has its own log group`).toBeDefined();
      const group = groups.find(([gid]) => gid === groupId)?.[1];
      expect(group?.Properties.RetentionInDays, `${id}'s log group has a retention`).toBe(LOG_RETENTION);
      expect(group?.DeletionPolicy, `${id}'s log group goes with the stack`).toBe("Delete");
    }
    expect(groups).toHaveLength(4);
  });
});
