// The LocalStack variant: only what LocalStack's free edition runs, with the same function, URL, parameters and IAM.
import { beforeAll, describe, expect, it } from "vitest";
import { CONFIG_PARAMETER_NAMES, CONFIG_PARAMETER_PREFIX } from "./constants.js";
import { InvalidSettingError } from "./settings.js";
import { placeholderBuilds, SAMPLE_LOCAL_IDENTITY, synthStack } from "./testing/synthStack.js";

const identity = SAMPLE_LOCAL_IDENTITY;

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped.
type Json = any;
type Resources = Record<string, { Type: string; Properties: Record<string, Json> }>;

/** Types CloudFormation on LocalStack's free edition turns into "unknown" placeholders. */
const NOT_IN_FREE_EDITION =
  /^(AWS::Cognito::|AWS::CloudFront::|AWS::WAFv2::|AWS::Amplify::|Custom::CDKBucketDeployment$)/;

let aws: Resources;
let local: Resources;
let localJson: string;
let localOutputs: Record<string, Json>;

beforeAll(() => {
  const builds = placeholderBuilds();
  aws = synthStack(builds).template.toJSON().Resources;
  const result = synthStack({ ...builds, target: "localstack", localIdentity: identity });
  local = result.template.toJSON().Resources;
  localOutputs = result.template.toJSON().Outputs;
  localJson = result.json;
}, 120_000);

const ofType = (resources: Resources, type: string) =>
  Object.values(resources).filter((r) => r.Type === type);
const apiResources = (resources: Resources) =>
  Object.fromEntries(Object.entries(resources).filter(([id]) => id.startsWith("Api")));

describe("FurlKitStack with target localstack", () => {
  it("has no resource of a type the free edition lacks", () => {
    const types = Object.values(local).map((r) => r.Type);
    expect(types.filter((type) => NOT_IN_FREE_EDITION.test(type))).toEqual([]);
    // The aws target does have them: the check above would catch a regression.
    expect(Object.values(aws).some((r) => NOT_IN_FREE_EDITION.test(r.Type))).toBe(true);
  });

  it("leaves out the origin secret, the SecureString custom resources and the site bucket", () => {
    const types = new Set(Object.values(local).map((r) => r.Type));
    for (const type of [
      "AWS::SecretsManager::Secret",
      "Custom::SecureStringParameter",
      "Custom::AWS",
      "AWS::S3::Bucket",
    ]) {
      expect(types.has(type), type).toBe(false);
    }
    expect(localJson).not.toContain("{{resolve:");
  });

  it("has the same function, Function URL, invoke permissions and IAM as the aws target", () => {
    const localApi = apiResources(local);
    expect(Object.keys(localApi).sort()).toEqual(Object.keys(apiResources(aws)).sort());
    expect(localApi).toEqual(apiResources(aws));
    expect(ofType(local, "AWS::Lambda::Function")).toHaveLength(1);
    expect(ofType(local, "AWS::Lambda::Url")).toEqual(ofType(aws, "AWS::Lambda::Url"));
    // The function's only grant names all seven parameters, SecureStrings included.
    const policy = ofType(local, "AWS::IAM::Policy")[0]!;
    const arns = JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource);
    for (const name of CONFIG_PARAMETER_NAMES) expect(arns).toContain(`${CONFIG_PARAMETER_PREFIX}/${name}`);
  });

  it("writes the five String parameters under the same names, from the kit's identity values", () => {
    const params = Object.fromEntries(
      ofType(local, "AWS::SSM::Parameter").map((p) => [p.Properties.Name, p.Properties.Value]),
    );
    const awsNames = ofType(aws, "AWS::SSM::Parameter").map((p) => p.Properties.Name);
    expect(Object.keys(params).sort()).toEqual(awsNames.sort());
    expect(params).toEqual({
      [`${CONFIG_PARAMETER_PREFIX}/cognito-domain-url`]: identity.cognitoDomainUrl,
      [`${CONFIG_PARAMETER_PREFIX}/client-id`]: identity.clientId,
      [`${CONFIG_PARAMETER_PREFIX}/redirect-uri`]: identity.redirectUri,
      [`${CONFIG_PARAMETER_PREFIX}/user-pool-id`]: identity.userPoolId,
      [`${CONFIG_PARAMETER_PREFIX}/jwks-uri`]: identity.jwksUri,
    });
  });

  it("outputs the Function URL (its id is the LocalStack host's first label) and the site URL", () => {
    expect(Object.keys(localOutputs).sort()).toEqual(["FunctionUrl", "SiteUrl"]);
    expect(localOutputs.SiteUrl.Value).toBe(identity.redirectUri);
  });

  it("refuses to synthesize without identity values, rather than deploying placeholders", () => {
    const builds = placeholderBuilds();
    expect(() => synthStack({ ...builds, target: "localstack" })).toThrow(InvalidSettingError);
    expect(() => synthStack({ ...builds, target: "localstack" })).toThrow(/needs localIdentity/);
    expect(() =>
      synthStack({ ...builds, target: "localstack", localIdentity: { ...identity, clientId: "unknown" } }),
    ).toThrow(/localIdentity.clientId is missing/);
  });
});
