import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testFunctionConfig } from "../../../test/support/lambda/functionConfig.js";
import { createFunctionRuntime, type InvokeResult } from "../lambda/runtime.js";
import { silentLogger } from "../shared/log.js";
import { type AwsGateway, hostMatches, routeFor, signingServiceOf, startAwsGateway } from "./gateway.js";

const KIT_MODULES = resolve(import.meta.dirname, "../../../node_modules");
let gateway: AwsGateway;
const seen: { host?: string; target?: string; encrypted: boolean }[] = [];

/** Answers like SSM's GetParameter, saying which host it was asked as. */
function ssmLike(req: IncomingMessage, res: ServerResponse) {
  seen.push({
    host: req.headers.host,
    target: req.headers["x-amz-target"] as string | undefined,
    encrypted: "encrypted" in req.socket,
  });
  req.resume();
  res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(
    JSON.stringify({
      Parameter: { Name: "/p", Type: "String", Value: `via ${req.headers.host}`, Version: 1 },
    }),
  );
}

beforeAll(async () => {
  gateway = await startAwsGateway({ stateDir: mkdtempSync(join(tmpdir(), "gw-")), log: silentLogger });
  gateway.setRoutes([
    {
      service: "ssm",
      hosts: ["ssm.us-east-1.amazonaws.com"],
      targetPrefixes: ["AmazonSSM."],
      handler: ssmLike,
    },
    { service: "cognito-idp", hosts: ["*.auth.us-east-1.amazoncognito.com"], handler: ssmLike },
  ]);
});
afterAll(() => gateway.close());

describe("routing rules", () => {
  it("matches exact hosts and one-label wildcards only", () => {
    expect(hostMatches("SSM.us-east-1.amazonaws.com", ["ssm.us-east-1.amazonaws.com"])).toBe(true);
    expect(hostMatches("me.auth.us-east-1.amazoncognito.com", ["*.auth.us-east-1.amazoncognito.com"])).toBe(
      true,
    );
    expect(hostMatches("a.b.auth.us-east-1.amazoncognito.com", ["*.auth.us-east-1.amazoncognito.com"])).toBe(
      false,
    );
    expect(hostMatches("auth.us-east-1.amazoncognito.com", ["*.auth.us-east-1.amazoncognito.com"])).toBe(
      false,
    );
  });

  it("dispatches by host, then by the SigV4 signing name, then by X-Amz-Target", () => {
    const routes = [
      { service: "ssm", hosts: ["ssm.x"], targetPrefixes: ["AmazonSSM."], handler: () => {} },
      { service: "secretsmanager", hosts: ["sm.x"], handler: () => {} },
    ];
    const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
    expect(routeFor(routes, req({ host: "sm.x:443" }))?.service).toBe("secretsmanager");
    const auth =
      "AWS4-HMAC-SHA256 Credential=AKID/20261204/us-east-1/secretsmanager/aws4_request, SignedHeaders=host";
    expect(signingServiceOf(auth)).toBe("secretsmanager");
    expect(routeFor(routes, req({ host: "127.0.0.1:9", authorization: auth }))?.service).toBe(
      "secretsmanager",
    );
    expect(
      routeFor(routes, req({ host: "127.0.0.1:9", "x-amz-target": "AmazonSSM.GetParameter" }))?.service,
    ).toBe("ssm");
    expect(routeFor(routes, req({ host: "127.0.0.1:9" }))).toBeUndefined();
  });

  it("names the service it does not emulate", async () => {
    const res = await fetch(`${gateway.httpUrl}/`, {
      method: "POST",
      headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKID/20261204/us-east-1/dynamodb/aws4_request" },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      __type: "UnknownServiceException",
      message: "furl-kit does not emulate dynamodb",
    });
  });
});

describe("a function's calls to AWS host names", () => {
  const CODE = `
const https = require("node:https");
const http = require("node:http");
const get = (mod, url) => new Promise((resolve, reject) => {
  mod.get(url, (res) => { let b = ""; res.on("data", (c) => (b += c)); res.on("end", () => resolve(JSON.parse(b).Parameter.Value)); }).on("error", reject);
});
exports.handler = async () => {
  const { SSMClient, GetParameterCommand } = require("@aws-sdk/client-ssm");
  const AWS = require(process.env.KIT_MODULES + "/aws-sdk");
  const out = {};
  out.https = await get(https, "https://ssm.us-east-1.amazonaws.com/");
  out.http = await get(http, "http://ssm.us-east-1.amazonaws.com/");
  out.fetch = (await (await fetch("https://my-pool.auth.us-east-1.amazoncognito.com/x")).json()).Parameter.Value;
  out.sdkV3 = (await new SSMClient({ region: "us-east-1" }).send(new GetParameterCommand({ Name: "/p" }))).Parameter.Value;
  out.sdkV2 = (await new AWS.SSM({ region: "us-east-1" }).getParameter({ Name: "/p" }).promise()).Parameter.Value;
  try { await fetch("https://dynamodb.us-east-1.amazonaws.com/", { signal: AbortSignal.timeout(3000) }); out.other = "reached"; }
  catch (e) { out.other = "not routed: " + (e.cause?.code ?? e.name); }
  return out;
};`;

  for (const runtime of ["nodejs22.x", "nodejs24.x"]) {
    it(`reach the gateway from node:https, node:http, fetch, SDK v3 and SDK v2 on ${runtime}; other hosts do not`, async () => {
      const dir = join(mkdtempSync(join(tmpdir(), "gw-fn-")), "code");
      mkdirSync(dir);
      writeFileSync(join(dir, "index.js"), CODE);
      const runtimeOf = createFunctionRuntime(
        testFunctionConfig(dir, {
          runtime,
          timeoutSeconds: 10,
          environment: { KIT_MODULES, AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" },
          hostRouting: gateway.hostRouting(),
        }),
      );
      try {
        const result: InvokeResult = await runtimeOf.invoke({});
        if (!result.ok) throw new Error(`${result.errorType}: ${result.errorMessage}`);
        expect(result.payload).toEqual({
          https: "via ssm.us-east-1.amazonaws.com",
          http: "via ssm.us-east-1.amazonaws.com",
          fetch: "via my-pool.auth.us-east-1.amazoncognito.com",
          sdkV3: "via ssm.us-east-1.amazonaws.com",
          sdkV2: "via ssm.us-east-1.amazonaws.com",
          other: expect.stringMatching(
            /^not routed: (ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|TimeoutError|ENETUNREACH)/,
          ),
        });
        // The TLS ones ended at the gateway (a certificate from the kit's CA for that name), the plain one did not.
        expect(seen.some((r) => r.encrypted)).toBe(true);
        expect(seen.some((r) => !r.encrypted)).toBe(true);
      } finally {
        await runtimeOf.close();
      }
    }, 30_000);
  }
});
