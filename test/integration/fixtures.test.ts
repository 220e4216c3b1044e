// Three CDK apps of the kit's shape that differ from infra/, each started with `--app` through the API, each
// driven over real HTTP as a user of that stack would: routing by behaviour, the WAF's own rule group, CORS,
// site files from an S3 bucket, and the hosted UI sign-in through the app's pool.
//
// Every fixture is first synthesized with the repository's cdk CLI and its template checked for the shapes the
// flows below rely on, so a change to a fixture that would make a flow vacuous fails here first.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CfnTemplate, readSynthesizedStack } from "../../localdev/src/template/template.js";
import { newUser } from "../flows/steps.js";
import { HostedUiClient } from "../support/cognito/hostedUiClient.js";

const repoRoot = resolve(import.meta.dirname, "../..");
const fixturesDir = join(repoRoot, "test/fixtures/apps");
const run = promisify(execFile);

/** The kit API these flows are written against (`localdev/src/index.ts`). */
interface FixtureKitEndpoints {
  /** The first distribution's URL (today's key). */
  cloudfront: string;
  cognitoIdp: string;
  /** Every Function URL, by logical id (of the function or of its AWS::Lambda::Url). */
  functionUrls: Record<string, string>;
  /** Every distribution, by logical id. */
  distributions: Record<string, string>;
  userPools: { id: string; clientIds: string[]; domainUrl: string }[];
}
interface FixtureKit {
  endpoints: FixtureKitEndpoints;
  close(): Promise<void>;
}
interface KitApi {
  startKit(options: { app: string; appDir: string; basePort: number; stateDir: string }): Promise<FixtureKit>;
}

// The API module (the composition root's public face), imported by path at run time.
const API_MODULE = join(repoRoot, "localdev/src/index.ts");

interface Fixture {
  name: string;
  app: string;
  appDir: string;
}
const fixture = (name: string, app: string): Fixture => ({ name, app, appDir: join(fixturesDir, name) });
const TWO_FUNCTIONS = fixture("two-functions", "npx tsx app.ts");
const PLAIN_JS = fixture("plain-js", "node app.js");
const S3_SITE = fixture("s3-site", "npx tsx app.ts");

const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
};

/** `cdk synth --app <command>` from the fixture's folder, with the repository's CLI; returns the template. */
async function synthesize({ app, appDir, name }: Fixture): Promise<CfnTemplate> {
  const out = tempDir(`furl-${name}-cdk-`);
  await run(join(repoRoot, "node_modules/.bin/cdk"), ["synth", "--app", app, "-o", out, "--quiet"], {
    cwd: appDir,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true" },
  });
  return readSynthesizedStack(out).template;
}

async function startFixture({ app, appDir, name }: Fixture): Promise<FixtureKit> {
  const { startKit } = (await import(API_MODULE)) as KitApi;
  return startKit({ app, appDir, basePort: 0, stateDir: tempDir(`furl-${name}-state-`) });
}

const resourcesOf = (template: CfnTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const only = <T>(values: T[], what: string): T => {
  expect(values, what).toHaveLength(1);
  return values[0]!;
};
/** The one entry whose key starts with `prefix` (CDK logical ids are the construct id plus a hash). */
const byPrefix = (record: Record<string, string>, prefix: string) =>
  only(
    Object.entries(record)
      .filter(([id]) => id.startsWith(prefix))
      .map(([, url]) => url),
    `one entry starting with ${prefix} in ${JSON.stringify(record)}`,
  );
const at = (base: string, path: string) => new URL(path, base).toString();

/** A user with a permanent password, made through the pool's cognito-idp API. */
async function userIn(endpoints: FixtureKitEndpoints, poolId: string) {
  const user = newUser("fixture");
  const sdk = new CognitoIdentityProviderClient({
    endpoint: endpoints.cognitoIdp,
    region: poolId.split("_")[0]!,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  await sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: user.username,
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: user.email }],
    }),
  );
  await sdk.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: user.username,
      Password: user.password,
      Permanent: true,
    }),
  );
  return user;
}

/** The hosted UI sign-in to `redirectUri`, then the code exchanged at /oauth2/token by a public client. */
async function signInAndExchange(
  pool: FixtureKitEndpoints["userPools"][number],
  endpoints: FixtureKitEndpoints,
  redirectUri: string,
  scope: string,
) {
  const user = await userIn(endpoints, pool.id);
  const clientId = only(pool.clientIds, "app clients");
  const browser = new HostedUiClient(pool.domainUrl);
  const login = await browser.authorize({ clientId, redirectUri, scope });
  expect(login.page?.name).toBe("login");
  const back = await browser.signIn(user.username, user.password);
  expect(back.redirect?.location.startsWith(redirectUri)).toBe(true);
  const code = back.redirect?.code;
  expect(code).toMatch(/^[0-9a-f-]{36}$/);
  // No client secret and no code_verifier: the client has none and the authorize request sent no challenge.
  const exchange = () =>
    fetch(at(pool.domainUrl, "/oauth2/token"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: clientId,
        code: code!,
        redirect_uri: redirectUri,
      }),
    });
  const tokens = await exchange();
  expect(tokens.status).toBe(200);
  const body = (await tokens.json()) as { id_token: string; access_token: string; token_type: string };
  expect(body.token_type).toBe("Bearer");
  const claims = JSON.parse(Buffer.from(body.id_token.split(".")[1]!, "base64url").toString()) as Record<
    string,
    unknown
  >;
  expect(claims).toMatchObject({ aud: clientId, "cognito:username": user.username, token_use: "id" });
  expect(String(claims.iss)).toMatch(new RegExp(`/${pool.id}$`));
  // Codes are single-use.
  const again = await exchange();
  expect(again.status).toBe(400);
  expect(await again.json()).toEqual({ error: "invalid_grant" });
}

describe("fixture two-functions: two Function URLs behind one distribution, a rule group of its own, a pool", () => {
  describe("its template", () => {
    let template: CfnTemplate;
    beforeAll(async () => {
      template = await synthesize(TWO_FUNCTIONS);
    });

    it("has two functions on nodejs24.x with URLs, /api/* and the default routed to different URL origins", () => {
      const functions = resourcesOf(template, "AWS::Lambda::Function");
      expect(
        functions.map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ""), r.Properties?.Runtime]).sort(),
      ).toEqual([
        ["ApiFunction", "nodejs24.x"],
        ["WebFunction", "nodejs24.x"],
      ]);
      expect(resourcesOf(template, "AWS::Lambda::Url")).toHaveLength(2);
      const [, distribution] = only(resourcesOf(template, "AWS::CloudFront::Distribution"), "distributions");
      const config = distribution.Properties!.DistributionConfig as {
        Origins: { Id: string; DomainName: unknown }[];
        CacheBehaviors: { PathPattern: string; TargetOriginId: string }[];
        DefaultCacheBehavior: { TargetOriginId: string };
      };
      const api = only(config.CacheBehaviors, "cache behaviours");
      expect(api.PathPattern).toBe("/api/*");
      expect(api.TargetOriginId).not.toBe(config.DefaultCacheBehavior.TargetOriginId);
      const urlOf = (originId: string) =>
        JSON.stringify(config.Origins.find((o) => o.Id === originId)?.DomainName).match(
          /"(\w+FunctionUrl\w+)"/,
        )?.[1];
      expect(urlOf(api.TargetOriginId)).toMatch(/^ApiFunctionFunctionUrl/);
      expect(urlOf(config.DefaultCacheBehavior.TargetOriginId)).toMatch(/^WebFunctionFunctionUrl/);
    });

    it("has a web ACL whose only rule references the stack's own AWS::WAFv2::RuleGroup", () => {
      const [groupId] = only(resourcesOf(template, "AWS::WAFv2::RuleGroup"), "rule groups");
      const [, acl] = only(resourcesOf(template, "AWS::WAFv2::WebACL"), "web ACLs");
      const rule = only(acl.Properties!.Rules as { Statement: Record<string, unknown> }[], "web ACL rules");
      expect(rule.Statement).toEqual({
        RuleGroupReferenceStatement: { Arn: { "Fn::GetAtt": [groupId, "Arn"] } },
      });
      expect(resourcesOf(template, "AWS::Cognito::UserPoolDomain")).toHaveLength(1);
    });
  });

  describe("over HTTP", () => {
    let kit: FixtureKit;
    let cf: string;
    beforeAll(async () => {
      kit = await startFixture(TWO_FUNCTIONS);
      cf = only(Object.values(kit.endpoints.distributions), "distributions");
    });
    afterAll(async () => {
      await kit?.close();
    });

    it("lists both Function URLs and the distribution", () => {
      expect(Object.keys(kit.endpoints.functionUrls)).toHaveLength(2);
      expect(byPrefix(kit.endpoints.functionUrls, "ApiFunction")).not.toBe(
        byPrefix(kit.endpoints.functionUrls, "WebFunction"),
      );
      expect(kit.endpoints.cloudfront).toBe(cf);
    });

    it("routes /api/* to the api function and everything else to the web function", async () => {
      const api = await fetch(at(cf, "/api/hello?x=1"));
      expect(api.status).toBe(200);
      expect(await api.json()).toEqual({ fn: "api", path: "/api/hello", greeting: "hello from api" });
      for (const path of ["/", "/about", "/apix"]) {
        const web = await fetch(at(cf, path));
        expect(web.status, path).toBe(200);
        expect(web.headers.get("x-fixture-fn"), path).toBe("web");
        expect(await web.text(), path).toContain(`web function at ${path}`);
      }
    });

    it("blocks what the stack's own rule group blocks, on either behaviour, and lets the rest through", async () => {
      const byPath = await fetch(at(cf, "/api/blocked/1"));
      expect(byPath.status).toBe(403);
      expect(await byPath.text()).not.toContain('"fn"');
      const byHeader = await fetch(at(cf, "/"), { headers: { "x-fixture-block": "yes" } });
      expect(byHeader.status).toBe(403);
      const allowed = await fetch(at(cf, "/"), { headers: { "x-fixture-block": "no" } });
      expect(allowed.status).toBe(200);
    });

    it("answers each Function URL directly on its own port", async () => {
      const api = await fetch(at(byPrefix(kit.endpoints.functionUrls, "ApiFunction"), "/direct"));
      expect(await api.json()).toMatchObject({ fn: "api", path: "/direct" });
      const web = await fetch(at(byPrefix(kit.endpoints.functionUrls, "WebFunction"), "/direct"));
      expect(web.headers.get("x-fixture-fn")).toBe("web");
    });

    it("signs in through the hosted UI back to the distribution's callback URL, made local", async () => {
      const pool = only(kit.endpoints.userPools, "user pools");
      await signInAndExchange(pool, kit.endpoints, at(cf, "/callback"), "openid email");
    });
  });
});

describe("fixture plain-js: JavaScript CDK, an HttpOrigin from Fn::Select/Fn::Split, CORS_CUSTOM_ORIGIN, CORS *", () => {
  describe("its template", () => {
    let template: CfnTemplate;
    beforeAll(async () => {
      template = await synthesize(PLAIN_JS);
    });

    it("builds the origin's domain with Fn::Select/Fn::Split of the URL and uses the managed policies", () => {
      const [urlId, url] = only(resourcesOf(template, "AWS::Lambda::Url"), "function URLs");
      expect(url.Properties?.Cors).toMatchObject({ AllowOrigins: ["*"] });
      const [, distribution] = only(resourcesOf(template, "AWS::CloudFront::Distribution"), "distributions");
      const config = distribution.Properties!.DistributionConfig as {
        Origins: { DomainName: unknown }[];
        DefaultCacheBehavior: Record<string, unknown>;
      };
      expect(only(config.Origins, "origins").DomainName).toEqual({
        "Fn::Select": [2, { "Fn::Split": ["/", { "Fn::GetAtt": [urlId, "FunctionUrl"] }] }],
      });
      expect(config.DefaultCacheBehavior).toMatchObject({
        OriginRequestPolicyId: "59781a5b-3903-41f3-afcb-af62929ccde1", // CORS_CUSTOM_ORIGIN
        ResponseHeadersPolicyId: "67f7725c-6f97-4210-82d7-5512b31e9d03", // SECURITY_HEADERS
      });
      expect(only(resourcesOf(template, "AWS::Lambda::Function"), "functions")[1].Properties?.Runtime).toBe(
        "nodejs24.x",
      );
      const [, client] = only(resourcesOf(template, "AWS::Cognito::UserPoolClient"), "clients");
      expect(client.Properties).toMatchObject({ GenerateSecret: false, AllowedOAuthFlows: ["code"] });
    });
  });

  describe("over HTTP", () => {
    let kit: FixtureKit;
    let cf: string;
    let functionUrl: string;
    beforeAll(async () => {
      kit = await startFixture(PLAIN_JS);
      cf = only(Object.values(kit.endpoints.distributions), "distributions");
      functionUrl = only(Object.values(kit.endpoints.functionUrls), "function URLs");
    });
    afterAll(async () => {
      await kit?.close();
    });

    it("reaches the function through the HttpOrigin, forwarding Origin only (CORS_CUSTOM_ORIGIN)", async () => {
      const response = await fetch(at(cf, "/echo?secret=1"), {
        headers: { origin: "https://app.example", "user-agent": "fixture-agent/1", "x-custom": "1" },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        fn: "plain-js",
        method: "GET",
        path: "/echo",
        query: "",
        origin: "https://app.example",
        userAgent: "Amazon CloudFront",
      });
      // The URL's CORS (*) answers the forwarded Origin; SECURITY_HEADERS adds its set on the way out.
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    });

    it("answers any origin's preflight on the Function URL with *, and * on its answers", async () => {
      const preflight = await fetch(at(functionUrl, "/echo"), {
        method: "OPTIONS",
        headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
      expect(preflight.headers.get("access-control-allow-methods")).toBe("*");
      expect(preflight.headers.get("access-control-allow-headers")).toBe("content-type");
      const direct = await fetch(at(functionUrl, "/echo"), {
        method: "POST",
        headers: { origin: "https://elsewhere.example", "content-type": "application/json" },
        body: "{}",
      });
      expect(direct.headers.get("access-control-allow-origin")).toBe("*");
      expect(await direct.json()).toMatchObject({ method: "POST", origin: "https://elsewhere.example" });
    });

    it("signs in with a public client (no secret) and exchanges the code without PKCE", async () => {
      const pool = only(kit.endpoints.userPools, "user pools");
      expect(pool.id).toMatch(/^eu-west-1_/);
      await signInAndExchange(pool, kit.endpoints, "http://localhost:8765/callback", "openid");
    });
  });
});

describe("fixture s3-site: the site as an S3 bucket origin behind the function's distribution, no Amplify", () => {
  describe("its template", () => {
    let template: CfnTemplate;
    beforeAll(async () => {
      template = await synthesize(S3_SITE);
    });

    it("puts the bucket on the default behaviour and the Function URL on /api/*, with a BucketDeployment", () => {
      const [bucketId] = only(resourcesOf(template, "AWS::S3::Bucket"), "buckets");
      const [, distribution] = only(resourcesOf(template, "AWS::CloudFront::Distribution"), "distributions");
      const config = distribution.Properties!.DistributionConfig as {
        Origins: { Id: string; DomainName: unknown }[];
        CacheBehaviors: { PathPattern: string; TargetOriginId: string }[];
        DefaultCacheBehavior: { TargetOriginId: string };
        DefaultRootObject: string;
      };
      const origin = (id: string) => JSON.stringify(config.Origins.find((o) => o.Id === id)?.DomainName);
      expect(origin(config.DefaultCacheBehavior.TargetOriginId)).toBe(
        JSON.stringify({ "Fn::GetAtt": [bucketId, "RegionalDomainName"] }),
      );
      const api = only(config.CacheBehaviors, "cache behaviours");
      expect(api.PathPattern).toBe("/api/*");
      expect(origin(api.TargetOriginId)).toMatch(/"Fn::Select".*FunctionUrl/);
      expect(config.DefaultRootObject).toBe("index.html");
      const [, deployment] = only(resourcesOf(template, "Custom::CDKBucketDeployment"), "bucket deployments");
      expect(deployment.Properties?.DestinationBucketName).toEqual({ Ref: bucketId });
      expect(resourcesOf(template, "AWS::Amplify::App")).toEqual([]);
    });

    it("takes the function's settings from a Parameter default, a Mapping and a Condition", () => {
      expect(template.Parameters?.Stage).toMatchObject({ Default: "dev" });
      const [, fn] = only(
        resourcesOf(template, "AWS::Lambda::Function").filter(([id]) => id.startsWith("Api")),
        "api function",
      );
      expect((fn.Properties!.Environment as { Variables: unknown }).Variables).toEqual({
        GREETING: { Ref: "Greeting" },
        TIER: { "Fn::FindInMap": ["Tiers", { Ref: "Stage" }, "Tier"] },
        STAGE_KIND: { "Fn::If": ["IsProd", "production", "development"] },
      });
    });
  });

  describe("over HTTP", () => {
    let kit: FixtureKit;
    let cf: string;
    const siteFile = (name: string) => readFileSync(join(S3_SITE.appDir, "site", name), "utf8");
    beforeAll(async () => {
      kit = await startFixture(S3_SITE);
      cf = only(Object.values(kit.endpoints.distributions), "distributions");
    });
    afterAll(async () => {
      await kit?.close();
    });

    it("serves the files the BucketDeployment put in the bucket, index.html at the root", async () => {
      const root = await fetch(cf);
      expect(root.status).toBe(200);
      expect(root.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await root.text()).toBe(siteFile("index.html"));
      const script = await fetch(at(cf, "/app.js"));
      expect(script.status).toBe(200);
      expect(await script.text()).toBe(siteFile("app.js"));
    });

    it("answers 403 for a key the bucket does not hold (S3 behind OAC, no ListBucket)", async () => {
      const missing = await fetch(at(cf, "/missing.txt"));
      expect(missing.status).toBe(403);
    });

    it("routes /api/* to the function, whose environment the resolver made from Parameters, Mappings, Conditions", async () => {
      const api = await fetch(at(cf, "/api/hello"));
      expect(api.status).toBe(200);
      expect(await api.json()).toEqual({
        fn: "s3-site-api",
        path: "/api/hello",
        greeting: "hello from the bucket stack",
        tier: "small",
        stage: "development",
      });
    });

    it("has one Function URL and no user pool", () => {
      expect(Object.keys(kit.endpoints.functionUrls)).toHaveLength(1);
      expect(kit.endpoints.userPools).toEqual([]);
    });
  });
});
