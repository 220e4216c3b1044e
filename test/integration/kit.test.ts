// The local deployment as a developer meets it: endpoints, the site's config, SSM, CORS, restarts, template changes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { App } from "aws-cdk-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STACK_NAME, STACK_REGION } from "../../infra/lib/constants.js";
import { FurlKitStack } from "../../infra/lib/furlKitStack.js";
import { createLogger } from "../../localdev/src/shared/log.js";
import { execute, hostedUi, newUser, signIn, signUp } from "../flows/steps.js";
import { repoRoot, startTestKit, type TestKit } from "./kitTarget.js";

describe("the kit started from the synthesized template", () => {
  let t: TestKit;
  beforeAll(async () => {
    t = await startTestKit();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("writes endpoints.json with every endpoint and reports ready on the control health route", async () => {
    const written = JSON.parse(readFileSync(join(t.stateDir, "endpoints.json"), "utf8"));
    expect(Object.keys(written).sort()).toEqual(
      [
        "site",
        "signIn",
        "cloudfront",
        "functionUrl",
        "cognitoDomain",
        "cognitoIdp",
        "issuer",
        "userPoolId",
        "clientId",
        "ssm",
        "control",
        "console",
        "functionUrls",
        "distributions",
        "userPools",
      ].sort(),
    );
    expect(Object.values(written.functionUrls)).toEqual([written.functionUrl]);
    expect(Object.values(written.distributions)).toEqual([written.cloudfront]);
    expect(written.userPools).toEqual([
      { id: written.userPoolId, clientIds: [written.clientId], domainUrl: written.cognitoDomain },
    ]);
    expect(written.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${written.userPoolId}`);
    expect(written.userPoolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(written.console).toBe(`${written.control}/console/`);
    expect(written.clientId).toMatch(/^[a-z0-9]{26}$/);
    const health = await fetch(`${written.control}/health`);
    expect(await health.json()).toEqual({ status: "ready", build: { generation: 1, failures: 0 } });
  });

  it("serves the deployed page with a config.json whose URLs point at the local hosted UI and CloudFront", async () => {
    const { site, cognitoDomain, cloudfront, clientId } = t.kit.endpoints;
    const page = await fetch(site);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain("<title>furl-kit</title>");
    const config = await (await fetch(`${site}config.json`)).json();
    expect(config.apiUrl).toBe(cloudfront);
    const signIn = new URL(config.signInUrl);
    expect(`${signIn.origin}`).toBe(cognitoDomain);
    expect(signIn.searchParams.get("client_id")).toBe(clientId);
    expect(signIn.searchParams.get("redirect_uri")).toBe(site);
    expect(new URL(config.signOutUrl).searchParams.get("logout_uri")).toBe(site);
    expect(config.local).toEqual({ viewerCountry: "US" });
    expect(t.kit.endpoints.signIn).toBe(config.signInUrl);
  });

  it("holds the handler's configuration in SSM, the secrets as SecureStrings", async () => {
    const ssm = new SSMClient({
      endpoint: t.kit.endpoints.ssm,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const names = [
      "cognito-domain-url",
      "client-id",
      "client-secret",
      "redirect-uri",
      "user-pool-id",
      "jwks-uri",
      "origin-secret",
    ].map((n) => `/furl-kit/FurlKit/${n}`);
    const plain = await ssm.send(new GetParametersCommand({ Names: names }));
    expect(plain.InvalidParameters).toEqual([]);
    const byName = Object.fromEntries((plain.Parameters ?? []).map((p) => [p.Name!.split("/").pop(), p]));
    expect(byName["client-secret"]?.Type).toBe("SecureString");
    expect(byName["origin-secret"]?.Type).toBe("SecureString");
    expect(byName["cognito-domain-url"]?.Value).toBe(t.kit.endpoints.cognitoDomain);
    expect(byName["jwks-uri"]?.Value).toBe(
      `${t.kit.endpoints.cognitoIdp}/${t.kit.endpoints.userPoolId}/.well-known/jwks.json`,
    );
    const jwks = await (await fetch(byName["jwks-uri"]!.Value!)).json();
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
  });

  it("answers CORS preflights from the site's origin only", async () => {
    const preflight = (origin: string) =>
      fetch(t.kit.endpoints.cloudfront, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
    const fromSite = await preflight(new URL(t.kit.endpoints.site).origin);
    expect(fromSite.status).toBe(204);
    expect(fromSite.headers.get("access-control-allow-origin")).toBe(new URL(t.kit.endpoints.site).origin);
    expect(fromSite.headers.get("access-control-allow-headers")).toContain("content-type");
    const fromElsewhere = await preflight("https://evil.example");
    expect(fromElsewhere.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses the Function URL called with another Host, like Lambda does", async () => {
    const url = new URL(t.kit.endpoints.functionUrl);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, method: "POST", path: "/", headers: { host: "other.example" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end("{}");
    });
    expect(status).toBe(403);
  });

  it("lists users, pending confirmation codes and invocations on the control endpoint", async () => {
    const user = newUser("control");
    await signUp(t.target, hostedUi(t.target), user);
    const control = t.kit.endpoints.control;
    const users = await (await fetch(`${control}/users`)).json();
    expect(
      users.some(
        (u: { username: string; status: string }) => u.username === user.username && u.status === "CONFIRMED",
      ),
    ).toBe(true);
    await execute(t.target, undefined);
    const invocations = await (await fetch(`${control}/invocations`)).json();
    expect(invocations.length).toBeGreaterThan(0);
    const decisions = await (await fetch(`${control}/waf/decisions?limit=5`)).json();
    expect(decisions.length).toBeGreaterThan(0);
  });
});

describe("the kit's log", () => {
  it("never carries the client secret, the origin secret, a code or a token, across every kind of request", async () => {
    const lines: string[] = [];
    const t = await startTestKit({
      log: createLogger("kit", { level: "debug", write: (line) => lines.push(line) }),
    });
    try {
      const user = newUser("logs");
      const browser = hostedUi(t.target);
      const code = await signUp(t.target, browser, user);
      expect((await execute(t.target, code)).status).toBe(200);
      expect((await execute(t.target, code)).status).toBe(401);
      const again = await signIn(t.target, browser, user);
      expect((await execute(t.target, again.code, { url: t.target.functionUrl })).status).toBe(403);
      await execute(t.target, undefined, { country: "DE" });
      const tokens = await fetch(`${t.kit.endpoints.cognitoDomain}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: again.code,
          client_id: t.target.clientId,
        }),
      });
      expect(tokens.status).toBe(400);

      const client = t.kit.deployment.userPools[0]!.clients[0]!;
      const secrets = [client.clientSecret!, ...Object.values(t.kit.deployment.secrets), code, again.code];
      const text = lines.join("\n");
      expect(text).toContain("confirmationCode"); // the log did record the flows (codes are for people to read)
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/eyJ[\w-]+\.eyJ/);
    } finally {
      await t.close();
    }
  });
});

describe("state and template changes", () => {
  it("keeps users signed up through the hosted UI across a restart", async () => {
    const first = await startTestKit();
    const user = newUser("persist");
    try {
      await signUp(first.target, hostedUi(first.target), user);
      await first.kit.close();
      const second = await startTestKit({ stateDir: first.stateDir });
      try {
        expect(second.kit.endpoints.userPoolId).toBe(first.kit.endpoints.userPoolId);
        const { code } = await signIn(second.target, hostedUi(second.target), user);
        expect((await execute(second.target, code)).status).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(first.stateDir, { recursive: true, force: true });
    }
  });

  it("reloads (as on a source change): the next request cold-starts the function, users stay signed up", async () => {
    const lines: string[] = [];
    const t = await startTestKit({ log: createLogger("kit", { write: (line) => lines.push(line) }) });
    try {
      const user = newUser("reload");
      const browser = hostedUi(t.target);
      const firstCode = await signUp(t.target, browser, user);
      expect((await execute(t.target, firstCode)).status).toBe(200);
      await t.kit.reload();
      // What the web ACL cannot emulate is in the banner once; a reload of the same ACL does not repeat it.
      expect(t.kit.waf?.notEmulated.length).toBeGreaterThan(0);
      expect(lines.join("\n")).not.toMatch(/WAF: Rule/);
      const { code } = await signIn(t.target, browser, user);
      expect((await execute(t.target, code)).status).toBe(200);
      const [latest] = await t.kit.invocations();
      expect(latest).toMatchObject({ status: "success", cold: true });
    } finally {
      await t.close();
    }
  });

  // An in-process CDK synth (about 15 s alone on this 2-core VM) plus a kit start: more than the tier's 30 s
  // default when the machine is shared.
  it("enforces the allowed countries the stack declares, not a local copy of them", {
    timeout: 90_000,
  }, async () => {
    const outdir = mkdtempSync(join(tmpdir(), "furl-kit-countries-"));
    const app = new App({ outdir });
    new FurlKitStack(app, STACK_NAME, {
      env: { region: STACK_REGION },
      allowedCountries: ["DE"],
      siteDir: join(repoRoot, "web/dist"),
    });
    app.synth();
    const t = await startTestKit({ assemblyDir: outdir, synth: "never" });
    try {
      expect((await execute(t.target, undefined, { country: "DE" })).status).toBe(401);
      const us = await execute(t.target, undefined, { country: "US" });
      expect(us.status).toBe(403);
      expect(us.body?.blocked).toBe(true);
    } finally {
      await t.close();
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
