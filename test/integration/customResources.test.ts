// A stack's custom resources run as CloudFormation runs them, started with `--app` as a user of that stack would:
// CDK's AwsCustomResource reads the app client's secret into SSM for the function, through its real handler and
// the SDK's own AWS host names; a provider that fails is named at start-up with its Reason and what it holds up.
import { createHash } from "node:crypto";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kit } from "../../localdev/src/index.js";
import { type FixtureKit, startFixtureKit } from "../support/fixtureKit.js";

let fixture: FixtureKit;
let kit: Kit;

beforeAll(async () => {
  fixture = await startFixtureKit("custom-resources");
  kit = fixture.kit;
}, 120_000);
afterAll(() => fixture?.close());

describe("custom resources of a stack started with --app", () => {
  it("AwsCustomResource: DescribeUserPoolClient's secret reaches the SSM parameter the function reads", async () => {
    const pool = kit.endpoints.userPools[0]!;
    const sdk = new CognitoIdentityProviderClient({
      endpoint: kit.endpoints.cognitoIdp,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const described = await sdk.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool.id, ClientId: pool.clientIds[0]! }),
    );
    const secret = described.UserPoolClient?.ClientSecret;
    expect(secret).toMatch(/^[a-z0-9]{40,}$/);
    const url = Object.values(kit.endpoints.functionUrls)[0]!;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sha256: createHash("sha256").update(secret!).digest("hex") });
  });

  it("names a failed provider's resource, its Reason, and the resources left out because of it", () => {
    const lines = kit.unavailable();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Broken \(AWS::CloudFormation::CustomResource\) Create failed: the broken provider says no; unavailable because of it: NeedsBroken[0-9A-F]{8}$/,
    );
    // The rest of the stack runs: the reader's parameter exists, the dependent one does not.
    const names = kit.deployment.parameters.map((p) => p.name);
    expect(names).toContain("/fixture/client-secret");
    expect(names).not.toContain("/fixture/needs-broken");
  });

  it("does not create them again at the next start: their answers are kept with the state", async () => {
    kit = await fixture.restart();
    const res = await fetch(Object.values(kit.endpoints.functionUrls)[0]!);
    expect(res.status).toBe(200);
    // The failed one is retried (CloudFormation would try again on the next deployment); the others are not.
    expect(kit.unavailable()).toHaveLength(1);
  }, 120_000);
});
