// Deploy rehearsal, offline: every AWS API call our custom resources and deploy scripts make, checked against
// the AWS SDK v3's own models (operation exists, input members known, required ones present, types right).
import { StartDeploymentCommand } from "@aws-sdk/client-amplify";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { writeSecureStrings } from "../../localdev/src/localstack/deploy.js";
import { awsDeps, type Sender } from "./secureStringParameter/runtime/awsDeps.js";
import { onEvent } from "./secureStringParameter/runtime/onEvent.js";
import { cognitoProps, createEvent, deleteEvent } from "./secureStringParameter/runtime/testEvents.js";
import { outputHasMember, type SdkCommand, validateSdkInput } from "./testing/sdkModels.js";
import { synthStack } from "./testing/synthStack.js";

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped.
type Json = any;

/** Records the commands sent and answers like the service would. */
function recorder(answer: unknown = {}): Sender & { sent: SdkCommand[] } {
  const sent: SdkCommand[] = [];
  return {
    sent,
    async send(command) {
      sent.push(command as SdkCommand);
      return answer;
    },
  };
}

describe("AWS API calls, checked against the AWS SDK's models", () => {
  it("the SecureString provider: DescribeUserPoolClient, GetSecretValue, PutParameter, DeleteParameter", async () => {
    const cognito = recorder({ UserPoolClient: { ClientSecret: "s" } });
    const secretsManager = recorder({ SecretString: "o" });
    const ssm = recorder();
    const deps = awsDeps({ cognito, secretsManager, ssm });
    const secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:OriginSecret-AbC123";
    await onEvent(createEvent(), deps);
    await onEvent(createEvent({ ...cognitoProps, ValueFrom: { SecretsManagerSecretId: secretArn } }), deps);
    await onEvent(deleteEvent(cognitoProps.ParameterName), deps);
    const calls = [...cognito.sent, ...secretsManager.sent, ...ssm.sent];
    expect(calls.map((c) => (c.schema as unknown[])[2])).toEqual([
      "DescribeUserPoolClient",
      "GetSecretValue",
      "PutParameter",
      "PutParameter",
      "DeleteParameter",
    ]);
    for (const call of calls) expect(validateSdkInput(call)).toEqual([]);
    // And the answers are read where the models put them.
    expect(outputHasMember(cognito.sent[0]!, ["UserPoolClient", "ClientSecret"])).toBe(true);
    expect(outputHasMember(secretsManager.sent[0]!, ["SecretString"])).toBe(true);
  });

  it("the LocalStack deploy script's SecureString writes", async () => {
    const ssm = recorder();
    await writeSecureStrings(ssm as unknown as SSMClient, { "/furl-kit/FurlKit/client-secret": "s" });
    expect(ssm.sent).toHaveLength(1);
    expect(validateSdkInput(ssm.sent[0]!)).toEqual([]);
  });

  it("the site's AwsCustomResource: Amplify StartDeployment, on create and update, with its IAM action", () => {
    const resources = synthStack().template.toJSON().Resources as Record<string, Json>;
    const [publish] = Object.values(resources).filter((r) => r.Type === "Custom::AWS");
    for (const phase of ["Create", "Update"]) {
      const call = JSON.parse(placeholders(publish.Properties[phase]));
      // AwsCustomResource runs `new <Action>Command(parameters)` from @aws-sdk/client-<service>.
      expect(call.service).toBe("Amplify");
      expect(`${call.action[0].toUpperCase()}${call.action.slice(1)}Command`).toBe(
        StartDeploymentCommand.name,
      );
      expect(validateSdkInput(new StartDeploymentCommand(call.parameters))).toEqual([]);
    }
    const actions = Object.values(resources)
      .filter((r) => r.Type === "AWS::IAM::Policy" && /StartDeployment/.test(r.Properties.PolicyName))
      .flatMap((r) => r.Properties.PolicyDocument.Statement.map((s: Json) => s.Action));
    expect(actions).toEqual(["amplify:StartDeployment"]);
  }, 120_000);

  it("catches a call the model refuses: unknown member, missing required member, wrong type", () => {
    const bad = new StartDeploymentCommand({ appId: "d1", sourceUrl: 42, bucket: "b" } as never);
    expect(validateSdkInput(bad)).toEqual([
      "StartDeployment: required member branchName is missing",
      "StartDeployment.sourceUrl: 42 is not a string",
      "StartDeployment: StartDeploymentRequest has no member bucket",
    ]);
  });
});

/** A Fn::Join-built string with every intrinsic replaced by a placeholder id. */
function placeholders(value: Json): string {
  if (typeof value === "string") return value;
  const join = value["Fn::Join"];
  if (join && Array.isArray(join[1])) return join[1].map(placeholders).join(join[0]);
  return "d1placeholder";
}
