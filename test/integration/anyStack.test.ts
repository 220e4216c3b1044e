// The kit started from a template of another shape than infra/ (via `startKit({ template })`): two functions
// with URLs, two distributions (one routing `/api/*` to a function, the default to an S3 bucket origin filled by a
// BucketDeployment), a bucket of its own on the second distribution, two user pools.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kit, startKit } from "../../localdev/src/index.js";
import { silentLogger } from "../../localdev/src/shared/log.js";
import { repoRoot } from "./kitTarget.js";

const handler = (name: string) =>
  `export const handler = async (event) => ({ statusCode: 200, body: ${JSON.stringify(name)} + " " + event.rawPath });\n`;

const fn = (asset: string) => ({
  Type: "AWS::Lambda::Function",
  Properties: {
    Handler: "index.handler",
    Runtime: "nodejs22.x",
    Timeout: 5,
    Code: { S3Key: `${asset}.zip` },
  },
  Metadata: { "aws:asset:path": `asset.${asset}` },
});
const url = (fnId: string) => ({
  Type: "AWS::Lambda::Url",
  Properties: { AuthType: "NONE", TargetFunctionArn: { "Fn::GetAtt": [fnId, "Arn"] } },
});
const urlOrigin = (id: string, urlId: string) => ({
  Id: id,
  DomainName: { "Fn::Select": [2, { "Fn::Split": ["/", { "Fn::GetAtt": [urlId, "FunctionUrl"] }] }] },
  CustomOriginConfig: { OriginProtocolPolicy: "https-only" },
});
const bucketOrigin = (id: string, bucketId: string) => ({
  Id: id,
  DomainName: { "Fn::GetAtt": [bucketId, "RegionalDomainName"] },
  S3OriginConfig: { OriginAccessIdentity: "" },
});
const deployment = (bucketId: string, asset: string) => ({
  Type: "Custom::CDKBucketDeployment",
  Properties: { DestinationBucketName: { Ref: bucketId }, SourceObjectKeys: [`${asset}.zip`] },
});
const behaviour = (origin: string) => ({
  TargetOriginId: origin,
  ViewerProtocolPolicy: "allow-all",
  CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  AllowedMethods: ["GET", "HEAD"],
});

const TEMPLATE = {
  Resources: {
    OneFn: fn("one"),
    OneUrl: url("OneFn"),
    TwoFn: fn("two"),
    TwoUrl: url("TwoFn"),
    SiteBucket: { Type: "AWS::S3::Bucket", Properties: {} },
    SiteDeployment: deployment("SiteBucket", "site"),
    DocsBucket: { Type: "AWS::S3::Bucket", Properties: {} },
    DocsDeployment: deployment("DocsBucket", "docs"),
    Main: {
      Type: "AWS::CloudFront::Distribution",
      Properties: {
        DistributionConfig: {
          Enabled: true,
          // Without it CloudFront asks S3 for the bucket root, which a reader without ListBucket gets as 403.
          DefaultRootObject: "index.html",
          Origins: [urlOrigin("api", "OneUrl"), bucketOrigin("site", "SiteBucket")],
          DefaultCacheBehavior: behaviour("site"),
          CacheBehaviors: [{ ...behaviour("api"), PathPattern: "/api/*" }],
        },
      },
    },
    Docs: {
      Type: "AWS::CloudFront::Distribution",
      Properties: {
        DistributionConfig: {
          Enabled: true,
          Origins: [bucketOrigin("docs", "DocsBucket"), urlOrigin("two", "TwoUrl")],
          DefaultCacheBehavior: behaviour("docs"),
          CacheBehaviors: [{ ...behaviour("two"), PathPattern: "/two/*" }],
        },
      },
    },
    PoolA: { Type: "AWS::Cognito::UserPool", Properties: {} },
    ClientA: { Type: "AWS::Cognito::UserPoolClient", Properties: { UserPoolId: { Ref: "PoolA" } } },
    PoolB: { Type: "AWS::Cognito::UserPool", Properties: {} },
    ClientB: { Type: "AWS::Cognito::UserPoolClient", Properties: { UserPoolId: { Ref: "PoolB" } } },
    Topic: { Type: "AWS::SNS::Topic", Properties: {} },
  },
};

/** GET with an explicit Host (fetch cannot set one). */
function getWithHost(base: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { host } }, (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("a stack of another shape, started from its template", () => {
  let dir: string;
  let kit: Kit;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "furl-kit-any-"));
    const assembly = join(dir, "assembly");
    for (const [asset, files] of Object.entries({
      one: { "index.mjs": handler("one") },
      two: { "index.mjs": handler("two") },
      site: { "index.html": "<h1>site from the bucket</h1>" },
      docs: { "index.html": "<h1>docs</h1>", "guide/a.txt": "guide" },
    })) {
      for (const [name, text] of Object.entries(files)) {
        const path = join(assembly, `asset.${asset}`, name);
        mkdirSync(join(path, ".."), { recursive: true });
        writeFileSync(path, text);
      }
    }
    writeFileSync(join(assembly, "Shapes.template.json"), JSON.stringify(TEMPLATE));
    kit = await startKit({
      template: join(assembly, "Shapes.template.json"),
      basePort: 0,
      stateDir: join(dir, "state"),
      log: silentLogger,
      preloadGeoTables: false,
      site: "build",
    });
  });
  afterAll(async () => {
    await kit?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("lists every Function URL, distribution and pool, each URL and distribution on its own port", () => {
    const e = kit.endpoints;
    expect(Object.keys(e.functionUrls)).toEqual(["OneUrl", "TwoUrl"]);
    expect(e.functionUrls.OneUrl).toBe(e.functionUrl);
    expect(Object.keys(e.distributions)).toEqual(["Main", "Docs"]);
    expect(e.distributions.Main).toBe(e.cloudfront);
    const ports = [...Object.values(e.functionUrls), ...Object.values(e.distributions)].map(
      (u) => new URL(u).port,
    );
    expect(new Set(ports).size).toBe(4);
    expect(e.userPools.map((p) => p.id)).toEqual(kit.deployment.userPools.map((p) => p.id));
    expect(e.userPools.map((p) => p.clientIds.length)).toEqual([1, 1]);
    expect(kit.deployment.notEmulated).toContain("AWS::SNS::Topic: not emulated (Topic)");
  });

  it("runs each function behind its own URL", async () => {
    const one = await fetch(`${kit.endpoints.functionUrls.OneUrl}x`);
    const two = await fetch(`${kit.endpoints.functionUrls.TwoUrl}y`);
    expect([await one.text(), await two.text()]).toEqual(["one /x", "two /y"]);
    // Both threads' invocations, through the one kit (what /invocations and the console list).
    expect((await kit.invocations()).length).toBe(2);
    expect(kit.requestCounts().functionUrl).toBe(2);
  });

  it("routes by behaviour: /api/* to the function, the default to the bucket's files", async () => {
    const main = kit.endpoints.distributions.Main!;
    const api = await fetch(`${main}api/hello`);
    expect(api.status).toBe(200);
    expect(await api.text()).toBe("one /api/hello");
    const page = await fetch(main);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe("<h1>site from the bucket</h1>");
  });

  it("answers the bucket root and a missing key as S3 does behind origin access (403), with no page fallback", async () => {
    const docs = kit.endpoints.distributions.Docs!;
    for (const path of ["", "guide/missing.txt", "some/page"]) {
      const answer = await fetch(`${docs}${path}`);
      expect(answer.status, path).toBe(403);
      expect(await answer.text()).toContain("<Code>AccessDenied</Code>");
    }
  });

  it("serves a second bucket behind the second distribution, and its function on its path", async () => {
    const docs = kit.endpoints.distributions.Docs!;
    expect(await (await fetch(`${docs}guide/a.txt`)).text()).toBe("guide");
    expect(await (await fetch(`${docs}two/z`)).text()).toBe("two /two/z");
  });

  it("answers a bucket's own S3 host on its bucket server", async () => {
    const docsBucket = kit.deployment.buckets.find((b) => b.logicalId === "DocsBucket")!;
    expect(docsBucket.sources).toHaveLength(1);
    const origin = kit.deployment.distributions[1]!.origins.docs!;
    expect(origin.awsHost).toMatch(/\.s3\.us-east-1\.amazonaws\.com$/);
    const answer = await getWithHost(origin.url, "/index.html", origin.awsHost);
    expect(answer).toEqual({ status: 200, body: "<h1>docs</h1>" });
  });
});

describe("a CDK app of the user's own, started with `app`", () => {
  let dir: string;
  let kit: Kit;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "furl-kit-app-"));
    mkdirSync(join(dir, "handler"));
    writeFileSync(join(dir, "handler", "index.mjs"), handler("mine"));
    // Plain JavaScript CDK, resolving the repository's aws-cdk-lib by path (the folder is outside the repo).
    const cdk = JSON.stringify(join(repoRoot, "node_modules", "aws-cdk-lib"));
    writeFileSync(
      join(dir, "app.cjs"),
      `const cdk = require(${cdk});
const lambda = require(${cdk} + "/aws-lambda");
const app = new cdk.App();
const stack = new cdk.Stack(app, "Mine", { env: { region: "eu-west-1" } });
const fn = new lambda.Function(stack, "Fn", {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: "index.handler",
  code: lambda.Code.fromAsset(${JSON.stringify(join(dir, "handler"))}),
});
fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
app.synth();
`,
    );
    kit = await startKit({
      app: "node app.cjs",
      appDir: dir,
      basePort: 0,
      stateDir: join(dir, "state"),
      log: silentLogger,
      preloadGeoTables: false,
      site: "build",
    });
  }, 120_000);
  afterAll(async () => {
    await kit?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("synthesizes it into the state folder and runs its function behind its URL", async () => {
    expect(kit.deployment.stackName).toBe("Mine");
    expect(kit.deployment.region).toBe("eu-west-1");
    const answer = await fetch(`${kit.endpoints.functionUrl}hi`);
    expect(await answer.text()).toBe("mine /hi");
    expect(kit.endpoints.distributions).toEqual({});
  });
});
