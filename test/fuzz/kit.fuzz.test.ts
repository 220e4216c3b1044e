// Property-based fuzzing of every server of a running kit (started from the synthesized template, as
// `npm start` starts it): malformed requests must get a 4xx (or a 501 for a gap), never a 5xx; every server
// must answer afterwards; no secret or token may appear in an answer or a log line; no request may hold the
// main thread longer than 100 ms. Seeded and bounded: FURL_FUZZ_SEED and FURL_FUZZ_RUNS change the run.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../localdev/src/shared/log.js";
import { hostedUi, newUser, signUp, uniqueViewerIp } from "../flows/steps.js";
import { startTestKit, type TestKit } from "../integration/kitTarget.js";
import { blockProbe } from "./blockProbe.js";
import { type RawResponse, sendRaw } from "./rawHttp.js";
import { describeCase, FUZZED_SERVICES, type FuzzCase, type FuzzedService, fuzzCase } from "./requests.js";

const SEED = Number(process.env.FURL_FUZZ_SEED ?? 14_2026);
const RUNS = Number(process.env.FURL_FUZZ_RUNS ?? 300);
const MAX_BLOCK_MS = 100;
// A stack frame like "at handler (/x/y.ts:12:5)" or Node's internals: never part of an answer.
const STACK_TRACE = /\bat \S+ \(?[^\s()]+:\d+:\d+\)?|node:internal/;

let t: TestKit;
const logLines: string[] = [];
let secrets: string[] = [];
let ports: Record<FuzzedService, number>;

/** Signs a user up and exchanges the code, so the kit holds live tokens and a session the fuzz must never see. */
async function liveSecrets(kit: TestKit): Promise<string[]> {
  const user = newUser("fuzz");
  const browser = hostedUi(kit.target);
  const code = await signUp(kit.target, browser, user);
  const client = kit.kit.deployment.userPools[0]!.clients[0]!;
  const response = await fetch(`${kit.kit.endpoints.cognitoDomain}/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: kit.kit.endpoints.site,
    }),
  });
  const tokens = (await response.json()) as Record<string, string>;
  expect(tokens.refresh_token).toBeDefined();
  return [
    client.clientSecret!,
    ...Object.values(kit.kit.deployment.secrets),
    tokens.access_token!,
    tokens.id_token!,
    tokens.refresh_token!,
    ...browser.cookies.values(),
    user.password,
  ].filter((s) => s && s.length >= 8);
}

// Reads that hand out secrets by design: SSM with decryption and DescribeUserPoolClient (an admin API).
function mayRevealSecrets(c: FuzzCase): boolean {
  const target = c.request.headers.find(([n]) => n.toLowerCase() === "x-amz-target")?.[1] ?? "";
  const body = String(c.request.body ?? "");
  return (
    (c.service === "ssm" &&
      /^AmazonSSM\.GetParameter/.test(target) &&
      body.includes('"WithDecryption":true')) ||
    (c.service === "cognito" && target.endsWith(".DescribeUserPoolClient"))
  );
}

const probeTargets: Record<FuzzedService, string> = {
  site: "/",
  cognito: "/oauth2/userInfo",
  ssm: "/",
  cloudfront: "/",
  functionUrl: "/",
  control: "/health",
};

/** A harmless request to `service`; true when it answers with anything but a 5xx or silence. */
async function answers(service: FuzzedService): Promise<boolean> {
  const response = await sendRaw(ports[service], {
    method: "GET",
    target: probeTargets[service],
    headers: [["X-Forwarded-For", uniqueViewerIp()]],
  });
  return response.status > 0 && response.status < 500;
}

function withViewer(c: FuzzCase): FuzzCase {
  if (c.service !== "cloudfront" || c.request.headers.some(([n]) => n === "X-Forwarded-For")) return c;
  // A fresh viewer per request, so the WAF rate rule does not turn the rest of the run into 403s.
  return {
    ...c,
    request: { ...c.request, headers: [...c.request.headers, ["X-Forwarded-For", uniqueViewerIp()]] },
  };
}

beforeAll(async () => {
  t = await startTestKit({
    log: createLogger("kit", { level: "debug", write: (line) => logLines.push(line) }),
  });
  const port = (url: string) => Number(new URL(url).port);
  const e = t.kit.endpoints;
  ports = {
    site: port(e.site),
    cognito: port(e.cognitoDomain),
    ssm: port(e.ssm),
    cloudfront: port(e.cloudfront),
    functionUrl: port(e.functionUrl),
    control: port(e.control),
  };
  secrets = await liveSecrets(t);
  // The kit parses the country tables in a thread after start; the fuzz measures the kit once it has them.
  await t.kit.geo.preload();
});
afterAll(async () => {
  await t?.close();
});

describe("fuzz: malformed requests against every server of a running kit", () => {
  it(`gets a 4xx (or a 501 gap), leaks nothing, blocks < ${MAX_BLOCK_MS} ms, keeps every server up (seed ${SEED})`, async () => {
    const facts = {
      poolId: t.kit.endpoints.userPoolId,
      clientId: t.kit.endpoints.clientId,
      siteUrl: t.kit.endpoints.site,
      parameterNames: t.kit.deployment.parameters.map((p) => p.name),
    };
    const probe = blockProbe();
    const statuses = new Map<number, number>();
    let cases = 0;
    const stalls: string[] = [];
    const started = performance.now();

    const check = async (generated: FuzzCase) => {
      const c = withViewer(generated);
      cases++;
      const linesBefore = logLines.length;
      let response: RawResponse | undefined;
      let blocked = Number.POSITIVE_INFINITY;
      // A loaded machine can stall any process; a request that really blocks does it every time.
      for (let attempt = 0; attempt < 3 && blocked > MAX_BLOCK_MS; attempt++) {
        if (attempt > 0)
          stalls.push(`${blocked.toFixed(0)} ms: ${describeCase(c).split("\n")[1]?.slice(0, 120)}`);
        probe.reset();
        response = await sendRaw(ports[c.service], c.request);
        blocked = probe.longestBlockMs();
      }
      const r = response!;
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const fail = (why: string) => {
        throw new Error(
          `${why}\n--- request ---\n${describeCase(c)}\n--- answer ---\n${r.raw.slice(0, 1500)}`,
        );
      };
      if (r.status === 0) fail("no answer (the connection closed without a status line)");
      const gap = r.status === 501 && r.body.includes("NotEmulated");
      if (r.status >= 500 && !gap) fail(`a ${r.status} for a client's request`);
      if (STACK_TRACE.test(r.raw)) fail("a stack trace in the answer");
      if (!mayRevealSecrets(c))
        for (const s of secrets) if (r.raw.includes(s)) fail("a secret or token in the answer");
      for (const line of logLines.slice(linesBefore))
        for (const s of secrets)
          if (line.includes(s)) fail(`a secret or token in a log line: ${line.slice(0, 300)}`);
      if (blocked > MAX_BLOCK_MS) fail(`held the main thread ${blocked.toFixed(0)} ms (3 attempts)`);
      if (!(await answers(c.service))) fail(`${c.service} no longer answers`);
    };

    try {
      await fc.assert(fc.asyncProperty(fuzzCase(facts), check), {
        seed: SEED,
        numRuns: RUNS,
        endOnFailure: true,
      });
    } finally {
      probe.stop();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const histogram = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
      console.log(
        `fuzz: ${cases} cases, seed ${SEED}, ${seconds} s; statuses ${histogram.join(" ")}; ` +
          `${stalls.length} re-sent after a stall${stalls.length ? `:\n  ${stalls.join("\n  ")}` : ""}`,
      );
    }
    for (const service of FUZZED_SERVICES) expect(await answers(service), `${service} answers`).toBe(true);
  }, 120_000);
});
