// Security and wiring properties of the synthesized FurlKit template.
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { MissingBuildError } from "./buildOutput.js";
import { CONFIG_PARAMETER_NAMES, CONFIG_PARAMETER_PREFIX } from "./constants.js";
import { placeholderBuilds, synthStack } from "./testing/synthStack.js";
import { MANAGED_RULE_GROUPS } from "./webAcl.js";

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped.
type Json = any;
type Resource = { Type: string; Properties: Record<string, Json>; DependsOn?: string[] };

let template: Template;
let json: string;
let resources: Record<string, Resource>;
let region: string;

beforeAll(() => {
  const result = synthStack();
  template = result.template;
  json = result.json;
  resources = template.toJSON().Resources;
  region = result.stack.region;
}, 120_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalIdOf = (type: string) => {
  const found = ofType(type);
  expect(found).toHaveLength(1);
  return found[0]![0];
};
/** Resolves a Fn::Join of literals and pseudo refs into a readable string (other tokens as <Ref>). */
const flatten = (value: unknown): string => {
  if (typeof value === "string") return value;
  const v = value as Record<string, Json>;
  if (v["Fn::Join"]) {
    const [separator, parts] = v["Fn::Join"];
    return Array.isArray(parts) ? parts.map(flatten).join(separator) : `<join ${flatten(parts)}>`;
  }
  if (v.Ref) return `<${v.Ref}>`;
  if (v["Fn::GetAtt"]) return `<${v["Fn::GetAtt"].join(".")}>`;
  return JSON.stringify(value);
};

describe("FurlKitStack", () => {
  it("deploys to us-east-1, where CloudFront web ACLs must live", () => {
    expect(region).toBe("us-east-1");
  });

  describe("API function", () => {
    it("runs the bundled handler on Node.js 24 with the config prefix and no NODE_OPTIONS", () => {
      template.hasResourceProperties("AWS::Lambda::Function", {
        Runtime: "nodejs24.x",
        Handler: "index.handler",
        MemorySize: 256,
        Timeout: 10,
        Environment: { Variables: { CONFIG_PARAMETER_PREFIX } },
      });
      expect(json).not.toContain("NODE_OPTIONS");
    });

    it("runs every Node.js function of the stack, ours and CDK's providers, on nodejs24.x", () => {
      const nodeRuntimes = ofType("AWS::Lambda::Function")
        .map(([id, r]) => [id, r.Properties.Runtime] as const)
        .filter(([, runtime]) => String(runtime).startsWith("nodejs"));
      expect(nodeRuntimes.map(([id]) => id)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ApiFunction/),
          expect.stringMatching(/^SecureString/),
        ]),
      );
      expect(nodeRuntimes.filter(([, runtime]) => runtime !== "nodejs24.x")).toEqual([]);
    });

    it("has a Function URL with auth type NONE and no CORS (CloudFront owns CORS)", () => {
      template.resourceCountIs("AWS::Lambda::Url", 1);
      template.hasResourceProperties("AWS::Lambda::Url", { AuthType: "NONE", Cors: Match.absent() });
    });

    it("may call only ssm:GetParameters, on exactly the seven config parameter ARNs", () => {
      const fnId = Object.entries(resources).find(
        ([, r]) =>
          r.Type === "AWS::Lambda::Function" && r.Properties.Environment?.Variables?.CONFIG_PARAMETER_PREFIX,
      )![0];
      const roleId = resources[fnId]!.Properties.Role["Fn::GetAtt"][0];
      const policies = ofType("AWS::IAM::Policy").filter(([, p]) =>
        p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId),
      );
      const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      expect(statements).toHaveLength(1);
      expect(statements[0].Action).toBe("ssm:GetParameters");
      const arns = (statements[0].Resource as unknown[]).map(flatten).sort();
      const expected = CONFIG_PARAMETER_NAMES.map(
        (name) => `arn:aws:ssm:us-east-1:<AWS::AccountId>:parameter${CONFIG_PARAMETER_PREFIX}/${name}`,
      ).sort();
      expect(arns).toEqual(expected);
      expect(JSON.stringify(statements)).not.toContain("*");
    });
  });

  describe("Secrets stay out of the template", () => {
    it("never reads the client secret into the template (no ClientSecret attribute, no describe call)", () => {
      expect(json).not.toMatch(/"ClientSecret"\]|UserPoolClient\.ClientSecret|DescribeCognitoUserPoolClient/);
      expect(json).not.toContain("describeUserPoolClient");
    });

    it("sends the origin secret to the Function URL as a Secrets Manager dynamic reference", () => {
      const distribution = resources[logicalIdOf("AWS::CloudFront::Distribution")]!;
      const origin = distribution.Properties.DistributionConfig.Origins[0];
      expect(origin.OriginCustomHeaders).toHaveLength(1);
      const header = origin.OriginCustomHeaders[0];
      expect(header.HeaderName).toBe("x-origin-verify");
      const secretId = logicalIdOf("AWS::SecretsManager::Secret");
      expect(flatten(header.HeaderValue)).toBe(`{{resolve:secretsmanager:<${secretId}>:SecretString:::}}`);
    });

    it("generates the origin secret in Secrets Manager (48 chars, no punctuation)", () => {
      template.hasResourceProperties("AWS::SecretsManager::Secret", {
        GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 48 },
        SecretString: Match.absent(),
      });
    });

    it("writes both secrets as SecureStrings through Custom::SecureStringParameter", () => {
      const poolId = logicalIdOf("AWS::Cognito::UserPool");
      const clientId = logicalIdOf("AWS::Cognito::UserPoolClient");
      const secretId = logicalIdOf("AWS::SecretsManager::Secret");
      template.resourceCountIs("Custom::SecureStringParameter", 2);
      template.hasResourceProperties("Custom::SecureStringParameter", {
        ParameterName: `${CONFIG_PARAMETER_PREFIX}/client-secret`,
        ValueFrom: { CognitoClientSecret: { UserPoolId: { Ref: poolId }, ClientId: { Ref: clientId } } },
      });
      template.hasResourceProperties("Custom::SecureStringParameter", {
        ParameterName: `${CONFIG_PARAMETER_PREFIX}/origin-secret`,
        ValueFrom: { SecretsManagerSecretId: { Ref: secretId } },
      });
    });

    it("keeps only the five non-secret values as plain String parameters", () => {
      const names = ofType("AWS::SSM::Parameter").map(([, p]) => {
        expect(p.Properties.Type).toBe("String");
        return p.Properties.Name;
      });
      expect(names.sort()).toEqual(
        ["cognito-domain-url", "client-id", "redirect-uri", "user-pool-id", "jwks-uri"]
          .map((n) => `${CONFIG_PARAMETER_PREFIX}/${n}`)
          .sort(),
      );
    });

    it("lets the provider write only its two parameters and read only its two sources", () => {
      const provider = Object.entries(resources).find(
        ([, r]) =>
          r.Type === "AWS::Lambda::Function" &&
          /SecureStringParameterProvider/.test(r.Properties.Role["Fn::GetAtt"][0]),
      );
      expect(provider).toBeDefined();
      const roleId = provider![1].Properties.Role["Fn::GetAtt"][0];
      const statements = ofType("AWS::IAM::Policy")
        .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      const byAction = (action: string) =>
        statements
          .filter((s) => [s.Action].flat().includes(action))
          .flatMap((s) => [s.Resource].flat().map(flatten));
      expect(byAction("ssm:PutParameter").sort()).toEqual(
        ["client-secret", "origin-secret"].map(
          (n) => `arn:aws:ssm:us-east-1:<AWS::AccountId>:parameter${CONFIG_PARAMETER_PREFIX}/${n}`,
        ),
      );
      expect(byAction("cognito-idp:DescribeUserPoolClient")).toEqual([
        `<${logicalIdOf("AWS::Cognito::UserPool")}.Arn>`,
      ]);
      expect(byAction("secretsmanager:GetSecretValue")).toEqual([
        `<${logicalIdOf("AWS::SecretsManager::Secret")}>`,
      ]);
      // The secret is read from Secrets Manager itself: no wildcard on SSM's reference path.
      expect(byAction("ssm:GetParameter")).toEqual([]);
      expect(JSON.stringify(statements)).not.toContain("*");
    });
  });

  describe("Identity", () => {
    it("has a confidential code-flow client whose callback and sign-out URL is the site URL", () => {
      const appId = logicalIdOf("AWS::Amplify::App");
      const client = resources[logicalIdOf("AWS::Cognito::UserPoolClient")]!.Properties;
      expect(client.GenerateSecret).toBe(true);
      expect(client.AllowedOAuthFlows).toEqual(["code"]);
      expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(["openid", "email"]));
      expect(client.SupportedIdentityProviders).toEqual(["COGNITO"]);
      expect(client.PreventUserExistenceErrors).toBe("ENABLED");
      expect(client.EnableTokenRevocation).toBe(true);
      expect(client.CallbackURLs.map(flatten)).toEqual([`https://main.<${appId}.DefaultDomain>/`]);
      expect(client.LogoutURLs.map(flatten)).toEqual([`https://main.<${appId}.DefaultDomain>/`]);
    });

    it("lets users sign up with a verified email and a strong password", () => {
      template.hasResourceProperties("AWS::Cognito::UserPool", {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        AutoVerifiedAttributes: ["email"],
        Schema: Match.arrayWith([Match.objectLike({ Name: "email", Required: true })]),
        Policies: {
          PasswordPolicy: {
            MinimumLength: 8,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
      });
      template.hasResourceProperties("AWS::Cognito::UserPoolDomain", {
        Domain: Match.stringLikeRegexp("^furl-kit-[0-9a-f]{8}$"),
      });
    });
  });

  describe("CloudFront", () => {
    it("uses the managed CachingDisabled and AllViewerExceptHostHeader policies, HTTPS only, WAF attached", () => {
      const config = resources[logicalIdOf("AWS::CloudFront::Distribution")]!.Properties.DistributionConfig;
      const behavior = config.DefaultCacheBehavior;
      expect(behavior.CachePolicyId).toBe("4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
      expect(behavior.OriginRequestPolicyId).toBe("b689b0a8-53d0-40ab-baf2-68738e2966ac");
      expect(behavior.ViewerProtocolPolicy).toBe("redirect-to-https");
      expect(behavior.AllowedMethods).toEqual(expect.arrayContaining(["GET", "HEAD", "OPTIONS", "POST"]));
      expect(config.PriceClass).toBe("PriceClass_100");
      expect(config.WebACLId).toEqual({ "Fn::GetAtt": [logicalIdOf("AWS::WAFv2::WebACL"), "Arn"] });
      const urlId = logicalIdOf("AWS::Lambda::Url");
      expect(config.Origins[0].DomainName).toEqual({
        "Fn::Select": [2, { "Fn::Split": ["/", { "Fn::GetAtt": [urlId, "FunctionUrl"] }] }],
      });
      expect(config.Origins[0].CustomOriginConfig.OriginProtocolPolicy).toBe("https-only");
    });

    it("allows CORS from the site origin only, overriding the origin's headers", () => {
      const appId = logicalIdOf("AWS::Amplify::App");
      const cors =
        resources[logicalIdOf("AWS::CloudFront::ResponseHeadersPolicy")]!.Properties
          .ResponseHeadersPolicyConfig.CorsConfig;
      expect(cors.AccessControlAllowOrigins.Items.map(flatten)).toEqual([
        `https://main.<${appId}.DefaultDomain>`,
      ]);
      expect(cors.AccessControlAllowMethods.Items.sort()).toEqual(["GET", "HEAD", "OPTIONS", "POST"]);
      expect(cors.AccessControlAllowHeaders.Items).toEqual(["content-type"]);
      expect(cors.AccessControlAllowCredentials).toBe(false);
      expect(cors.AccessControlMaxAgeSec).toBe(600);
      expect(cors.OriginOverride).toBe(true);
    });
  });

  describe("WAF", () => {
    const rulesOf = (t: Template) =>
      Object.values(t.toJSON().Resources as Record<string, Resource>).find(
        (r) => r.Type === "AWS::WAFv2::WebACL",
      )!.Properties.Rules as Json[];

    it("is a CloudFront-scoped ACL allowing by default, with metrics on every rule", () => {
      const acl = resources[logicalIdOf("AWS::WAFv2::WebACL")]!.Properties;
      expect(acl.Scope).toBe("CLOUDFRONT");
      expect(acl.DefaultAction).toEqual({ Allow: {} });
      for (const rule of acl.Rules) {
        expect(rule.VisibilityConfig).toEqual({
          CloudWatchMetricsEnabled: true,
          SampledRequestsEnabled: true,
          MetricName: rule.Name,
        });
      }
    });

    it("blocks countries outside US and CA first, with a readable 403 carrying the CORS header", () => {
      const appId = logicalIdOf("AWS::Amplify::App");
      const [geo] = rulesOf(template);
      expect(geo.Name).toBe("AllowedCountriesOnly");
      expect(geo.Priority).toBe(0);
      expect(geo.Statement).toEqual({
        NotStatement: { Statement: { GeoMatchStatement: { CountryCodes: ["US", "CA"] } } },
      });
      const response = geo.Action.Block.CustomResponse;
      expect(response.ResponseCode).toBe(403);
      expect(response.ResponseHeaders).toHaveLength(1);
      expect(response.ResponseHeaders[0].Name).toBe("Access-Control-Allow-Origin");
      expect(flatten(response.ResponseHeaders[0].Value)).toBe(`https://main.<${appId}.DefaultDomain>`);
      const body =
        resources[logicalIdOf("AWS::WAFv2::WebACL")]!.Properties.CustomResponseBodies[
          response.CustomResponseBodyKey
        ];
      expect(body.ContentType).toBe("APPLICATION_JSON");
      expect(JSON.parse(body.Content)).toEqual({
        message: "Request blocked by AWS WAF: your country is not allowed.",
        blocked: true,
      });
    });

    it("rate-limits each IP to 100 requests per 5 minutes, with a readable 403", () => {
      const rate = rulesOf(template)[1];
      expect(rate.Name).toBe("RateLimitPerIp");
      expect(rate.Priority).toBe(1);
      expect(rate.Statement).toEqual({
        RateBasedStatement: { Limit: 100, AggregateKeyType: "IP", EvaluationWindowSec: 300 },
      });
      const response = rate.Action.Block.CustomResponse;
      expect(response.ResponseCode).toBe(403);
      expect(response.ResponseHeaders[0].Name).toBe("Access-Control-Allow-Origin");
      const body =
        resources[logicalIdOf("AWS::WAFv2::WebACL")]!.Properties.CustomResponseBodies[
          response.CustomResponseBodyKey
        ];
      expect(JSON.parse(body.Content)).toMatchObject({
        blocked: true,
        message: expect.stringMatching(/too many requests/),
      });
    });

    it("exempts no request from the geo and rate rules: a blocked viewer's POST itself gets the readable 403", () => {
      // The design (README "Why a blocked call is readable"): the page sends a CORS-simple POST, so there is
      // no preflight to let through. A scope-down or a method match here would open a hole for every viewer.
      const [geo, rate] = rulesOf(template);
      for (const rule of [geo, rate]) {
        const statement = JSON.stringify(rule.Statement);
        expect(statement).not.toMatch(/ScopeDownStatement|ByteMatchStatement|Method|OPTIONS/);
        expect(rule.Action.Block.CustomResponse.ResponseHeaders.map((h: Json) => h.Name)).toEqual([
          "Access-Control-Allow-Origin",
        ]);
      }
      expect(JSON.stringify(rulesOf(template))).not.toMatch(/OPTIONS/);
    });

    it("then runs the six AWS managed rule groups in order, without overriding their actions", () => {
      const managed = rulesOf(template).slice(2);
      expect(managed.map((r) => [r.Priority, r.Statement.ManagedRuleGroupStatement.Name])).toEqual(
        MANAGED_RULE_GROUPS.map((name, i) => [i + 2, name]),
      );
      for (const rule of managed) {
        expect(rule.OverrideAction).toEqual({ None: {} });
        expect(rule.Statement.ManagedRuleGroupStatement.VendorName).toBe("AWS");
        expect(rule.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toBeUndefined();
      }
    });

    it("follows the allowedCountries and rateLimit settings", () => {
      const { template: custom } = synthStack({ allowedCountries: ["US", "CA", "MX"], rateLimit: 200 });
      const [geo, rate] = rulesOf(custom);
      expect(geo.Statement.NotStatement.Statement.GeoMatchStatement.CountryCodes).toEqual(["US", "CA", "MX"]);
      expect(rate.Statement.RateBasedStatement.Limit).toBe(200);
    }, 60_000);
  });

  describe("Site", () => {
    it("is an Amplify WEB app without a repository, with a PRODUCTION main branch", () => {
      template.hasResourceProperties("AWS::Amplify::App", {
        Platform: "WEB",
        Repository: Match.absent(),
        AccessToken: Match.absent(),
      });
      template.hasResourceProperties("AWS::Amplify::Branch", { BranchName: "main", Stage: "PRODUCTION" });
    });

    it("ships the page plus config.json with the hosted UI and CloudFront URLs", () => {
      const deployment = resources[logicalIdOf("Custom::CDKBucketDeployment")]!.Properties;
      expect(deployment.SourceObjectKeys).toHaveLength(2);
      const markers = JSON.stringify(deployment.SourceMarkers);
      expect(markers).toContain(logicalIdOf("AWS::Cognito::UserPoolDomain"));
      expect(markers).toContain(logicalIdOf("AWS::Cognito::UserPoolClient"));
      expect(markers).toContain(`["${logicalIdOf("AWS::CloudFront::Distribution")}","DomainName"]`);
    });

    it("keeps the bucket private and TLS-only, readable by Amplify for this branch only", () => {
      template.hasResourceProperties("AWS::S3::Bucket", {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            Match.objectLike({
              Effect: "Allow",
              Principal: { Service: "amplify.amazonaws.com" },
              Action: ["s3:GetObject", "s3:ListBucket"],
              Condition: {
                StringEquals: {
                  "aws:SourceAccount": { Ref: "AWS::AccountId" },
                  "aws:SourceArn": Match.anyValue(),
                },
              },
            }),
          ]),
        },
      });
      const [, policy] = ofType("AWS::S3::BucketPolicy")[0]!;
      const amplify = policy.Properties.PolicyDocument.Statement.find(
        (s: Json) => s.Principal?.Service === "amplify.amazonaws.com",
      );
      // Amplify's documented policy: the branch ARN, percent-encoded.
      expect(flatten(amplify.Condition.StringEquals["aws:SourceArn"])).toBe(
        `arn%3Aaws%3Aamplify%3Aus-east-1%3A<AWS::AccountId>%3Aapps%2F<${logicalIdOf("AWS::Amplify::App")}.AppId>%2Fbranches%2Fmain`,
      );
    });

    it("grants the Amplify publish call nothing on the bucket (Amplify reads it under the bucket policy)", () => {
      const [, publish] = ofType("Custom::AWS")[0]!;
      const roleId =
        resources[publish.Properties.ServiceToken["Fn::GetAtt"][0]]!.Properties.Role["Fn::GetAtt"][0];
      const actions = ofType("AWS::IAM::Policy")
        .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
        .flatMap((s: Json) => [s.Action].flat());
      expect(actions).toEqual(["amplify:StartDeployment"]);
    });

    it("starts an Amplify deployment of the bucket after the upload, again whenever the upload changes", () => {
      const [id, publish] = ofType("Custom::AWS")[0]!;
      expect(id).toMatch(/StartDeployment/);
      const create = flatten(publish.Properties.Create);
      expect(create).toContain('"action":"startDeployment"');
      expect(create).toContain('"sourceUrlType":"BUCKET_PREFIX"');
      expect(create).toMatch(/"sourceUrl":"s3:\/\/<SiteDeploymentBucket\w+>\/"/);
      expect(create).toContain(`"physicalResourceId":{"id":"`);
      expect(JSON.stringify(publish.Properties.Create)).toContain("SourceObjectKeys");
      expect(publish.Properties.Update).toEqual(publish.Properties.Create);
      // After the upload through the GetAtt of its object keys (a DependsOn would be redundant: cfn-lint W3005).
      expect(JSON.stringify(publish.Properties.Create)).toContain(logicalIdOf("Custom::CDKBucketDeployment"));
      expect(publish.DependsOn).toEqual(
        expect.arrayContaining([logicalIdOf("AWS::Amplify::Branch"), logicalIdOf("AWS::S3::BucketPolicy")]),
      );
      expect(publish.DependsOn).not.toContain(logicalIdOf("Custom::CDKBucketDeployment"));
    });
  });

  it("outputs the site, sign-in, CloudFront and Function URLs and the pool ids", () => {
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        "SiteUrl",
        "SignInUrl",
        "CloudFrontUrl",
        "FunctionUrl",
        "UserPoolId",
        "UserPoolClientId",
      ]),
    );
    const signIn = flatten(outputs.SignInUrl.Value);
    expect(signIn).toMatch(
      /^https:\/\/<\w+>\.auth\.us-east-1\.amazoncognito\.com\/oauth2\/authorize\?client_id=<\w+>&response_type=code&scope=openid\+email&redirect_uri=https%3A%2F%2Fmain\.<\w+\.DefaultDomain>%2F$/,
    );
    expect(flatten(outputs.CloudFrontUrl.Value)).toMatch(/^https:\/\/<\w+\.DomainName>\/$/);
  });

  it("refuses to synthesize without the Lambda bundle, naming the build command", () => {
    const { siteDir } = placeholderBuilds();
    expect(() => synthStack({ apiCodeDir: `${siteDir}/missing`, siteDir })).toThrow(MissingBuildError);
    expect(() => synthStack({ apiCodeDir: `${siteDir}/missing`, siteDir })).toThrow(/npm run build:lambda/);
  });

  it("refuses to synthesize without the built page, naming the build command", () => {
    const { apiCodeDir } = placeholderBuilds();
    expect(() => synthStack({ apiCodeDir, siteDir: `${apiCodeDir}/missing` })).toThrow(/npm run build:web/);
  });
});
