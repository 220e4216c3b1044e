// The kit fronting a stub that answers like LocalStack's Function URL router: the wiring end to end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Stage } from "aws-cdk-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthStack } from "../../../infra/lib/testing/synthStack.js";
import { type StubLocalStack, startStubLocalStack } from "../../../test/support/localstack/stubLocalStack.js";
import { silentLogger } from "../shared/log.js";
import { frontUrls, type LocalStackFront, startLocalStackFront } from "./front.js";
import { CONFIG_PARAMETER_PREFIX, localStackParameters, resolveFrontDeployment } from "./identity.js";

const URL_ID = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
const LOCALSTACK_FUNCTION_URL = `http://${URL_ID}.lambda-url.us-east-1.localhost.localstack.cloud:4566/`;
const INTERNAL_COGNITO = "http://furl-kit:3001";

let assemblyDir: string;
let stateDir: string;
let stub: StubLocalStack;
let front: LocalStackFront;
/** The values the deploy script computes before the kit starts (fixed compose ports). */
let deployTime: ReturnType<typeof localStackParameters>;

const originSecret = () => front.parameters.secureStrings[`${CONFIG_PARAMETER_PREFIX}/origin-secret`]!;

beforeAll(async () => {
  const { stack } = synthStack();
  assemblyDir = Stage.of(stack)!.outdir;
  stateDir = mkdtempSync(join(tmpdir(), "furl-kit-front-"));
  const composeUrls = frontUrls("localhost", 3000);
  deployTime = localStackParameters(
    resolveFrontDeployment({ assemblyDir, stateDir, urls: composeUrls }),
    composeUrls,
    INTERNAL_COGNITO,
  );
  let expectedSecret = "";
  const allowedOrigins: string[] = [];
  stub = await startStubLocalStack({
    urlId: URL_ID,
    allowedOrigins,
    // Stands in for the handler's origin check.
    invoke: (event) =>
      event.headers["x-origin-verify"] === expectedSecret
        ? { statusCode: 200, body: JSON.stringify({ message: "reached the function" }) }
        : { statusCode: 403, body: JSON.stringify({ message: "Forbidden" }) },
  });
  front = await startLocalStackFront({
    assemblyDir,
    stateDir,
    localstack: { endpoint: stub.listening.url, functionUrl: LOCALSTACK_FUNCTION_URL },
    basePort: 0,
    internalCognitoUrl: INTERNAL_COGNITO,
    log: silentLogger,
  });
  expectedSecret = originSecret();
  // What EXTRA_CORS_ALLOWED_ORIGINS does in docker-compose.yml: CloudFront forwards the viewer's Origin.
  allowedOrigins.push(front.urls.site);
}, 120_000);

afterAll(async () => {
  await front?.close();
  await stub?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const execute = (headers: Record<string, string> = {}, url = `${front.urls.cloudfront}/`) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({}),
  });

describe("startLocalStackFront", () => {
  it("sends CloudFront's origin request to LocalStack with the Function URL host and the origin secret", async () => {
    const before = stub.events.length;
    const answer = await execute({ origin: front.urls.site });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ message: "reached the function" });
    expect(answer.headers.get("access-control-allow-origin")).toBe(front.urls.site);
    expect(stub.events).toHaveLength(before + 1);
    const event = stub.events.at(-1)!;
    expect(event.headers.host).toBe(`${URL_ID}.lambda-url.us-east-1.localhost.localstack.cloud:4566`);
    expect(event.headers["x-origin-verify"]).toBe(originSecret());
    expect(event.headers["x-amz-cf-id"]).toBeTruthy();
  });

  it("lets LocalStack answer the page's preflight itself: 204 with the site's CORS headers, no invocation", async () => {
    const [events, invocations] = [stub.events.length, front.functionInvocations()];
    const answer = await fetch(`${front.urls.cloudfront}/`, {
      method: "OPTIONS",
      headers: {
        origin: front.urls.site,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(front.urls.site);
    expect(answer.headers.get("access-control-allow-methods")).toContain("POST");
    expect(answer.headers.get("access-control-allow-headers")).toContain("content-type");
    expect(stub.events).toHaveLength(events);
    expect(front.functionInvocations()).toBe(invocations);
  });

  it("passes LocalStack's empty 403 through for an origin its CORS guard does not allow", async () => {
    const stranger = front.urls.site.replace("127.0.0.1", "localhost");
    const before = stub.events.length;
    const answer = await execute({ origin: stranger });
    expect(answer.status).toBe(403);
    expect(await answer.text()).toBe("");
    expect(stub.events).toHaveLength(before);
  });

  it("blocks a viewer outside the allowed countries at the WAF, without invoking the function", async () => {
    const before = front.functionInvocations();
    const answer = await execute({ origin: front.urls.site, "x-furl-viewer-country": "DE" });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({
      message: "Request blocked by AWS WAF: your country is not allowed.",
      blocked: true,
    });
    expect(answer.headers.get("access-control-allow-origin")).toBe(front.urls.site);
    expect(front.functionInvocations()).toBe(before);
  });

  it("relays direct Function URL calls without the origin secret, so the function refuses them", async () => {
    const answer = await execute({}, `${front.urls.functionUrl}/`);
    expect(answer.status).toBe(403);
    expect(stub.events.at(-1)!.headers["x-origin-verify"]).toBeUndefined();
  });

  it("exposes the identity values as LocalStack's Lambda containers reach the Cognito emulator", async () => {
    const pool = front.deployment.userPools[0]!;
    const { identity } = front.parameters;
    expect(identity).toEqual({
      cognitoDomainUrl: INTERNAL_COGNITO,
      clientId: pool.clients[0]!.clientId,
      userPoolId: pool.id,
      jwksUri: `${INTERNAL_COGNITO}/${pool.id}/.well-known/jwks.json`,
      redirectUri: `${front.urls.site}/`,
    });
    expect(identity.userPoolId).toMatch(/^us-east-1_[A-Za-z0-9]+$/);
    // The same JWKS path answers on the kit's browser-facing Cognito URL.
    const jwks = await fetch(identity.jwksUri.replace(INTERNAL_COGNITO, front.urls.cognito));
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
  });

  it("agrees with what the deploy script computed earlier from the same state folder", () => {
    expect(front.parameters.identity.clientId).toBe(deployTime.identity.clientId);
    expect(front.parameters.identity.userPoolId).toBe(deployTime.identity.userPoolId);
    expect(front.parameters.secureStrings).toEqual(deployTime.secureStrings);
    expect(Object.keys(deployTime.secureStrings).sort()).toEqual([
      `${CONFIG_PARAMETER_PREFIX}/client-secret`,
      `${CONFIG_PARAMETER_PREFIX}/origin-secret`,
    ]);
    expect(deployTime.identity.redirectUri).toBe("http://localhost:3000/");
  });

  it("serves the site with config.json pointing at the kit's hosted UI and CloudFront", async () => {
    const answer = await fetch(`${front.urls.site}/config.json`);
    expect(answer.status).toBe(200);
    const config = (await answer.json()) as Record<string, unknown>;
    const clientId = front.parameters.identity.clientId;
    expect(config.signInUrl).toBe(
      `${front.urls.cognito}/oauth2/authorize?client_id=${clientId}&response_type=code&scope=openid+email&redirect_uri=${encodeURIComponent(`${front.urls.site}/`)}`,
    );
    expect(config.apiUrl).toBe(`${front.urls.cloudfront}/`);
    expect(config.local).toEqual({ viewerCountry: "US" });
  });

  it("answers a clear 502 when LocalStack is not reachable", async () => {
    const down = await startLocalStackFront({
      assemblyDir,
      stateDir,
      localstack: { endpoint: "http://127.0.0.1:1", functionUrl: LOCALSTACK_FUNCTION_URL },
      basePort: 0,
      log: silentLogger,
    });
    try {
      const direct = await execute({}, `${down.urls.functionUrl}/`);
      expect(direct.status).toBe(502);
      expect(((await direct.json()) as { message: string }).message).toMatch(/LocalStack is not reachable/);
      const viaEdge = await execute({ origin: down.urls.site }, `${down.urls.cloudfront}/`);
      expect(viaEdge.status, await viaEdge.text()).toBe(502);
    } finally {
      await down.close();
    }
  });

  it("refuses a FunctionUrl that is not a Function URL, before binding anything", async () => {
    await expect(
      startLocalStackFront({
        assemblyDir,
        stateDir,
        localstack: { endpoint: stub.listening.url, functionUrl: "unknown" },
        basePort: 0,
        log: silentLogger,
      }),
    ).rejects.toThrow(/is not a Function URL/);
  });
});
