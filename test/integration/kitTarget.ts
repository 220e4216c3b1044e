// Starts the kit in-process from the real synthesized template, on ephemeral ports, as a flow target.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  newClientId,
  newClientSecret,
  userPoolConfigFromTemplate,
} from "../../localdev/src/cognito/index.js";
import { type Kit, type KitOptions, startKit } from "../../localdev/src/index.js";
import { ManualClock } from "../../localdev/src/shared/clock.js";
import { createLogger, type Logger, silentLogger } from "../../localdev/src/shared/log.js";
import type { FlowTarget } from "../flows/target.js";

export const repoRoot = resolve(import.meta.dirname, "../..");

export interface TestKit {
  kit: Kit;
  target: FlowTarget;
  clock: ManualClock;
  stateDir: string;
  close(): Promise<void>;
}

/** The kit as `npm start` runs it, with a movable clock, a temporary state folder and a second app client. */
export async function startTestKit(options: Partial<KitOptions> = {}): Promise<TestKit> {
  const stateDir = mkdtempSync(join(tmpdir(), "furl-kit-test-"));
  // Real "now" so tokens the kit signs are valid for the handler, which reads the real time.
  const clock = new ManualClock(Date.now());
  const log: Logger = process.env.FURL_TEST_LOG ? createLogger("kit") : silentLogger;
  const kit = await startKit({
    root: repoRoot,
    basePort: 0,
    stateDir,
    clock,
    log,
    trustForwardedFor: true,
    synth: "auto",
    // Test viewers use addresses without a country; a test that needs the tables calls kit.geo.preload().
    preloadGeoTables: false,
    ...options,
  });
  const otherClient = addOtherClient(kit);
  const rateRule = kit.deployment.webAcls[0]?.properties.Rules as {
    Statement: { RateBasedStatement?: { Limit: number } };
  }[];
  const rateLimit =
    rateRule?.map((r) => r.Statement.RateBasedStatement?.Limit).find((l) => l !== undefined) ?? 100;
  const target: FlowTarget = {
    name: "embedded kit",
    siteUrl: kit.endpoints.site,
    apiUrl: kit.endpoints.cloudfront,
    functionUrl: kit.endpoints.functionUrl,
    cognitoUrl: kit.endpoints.cognitoDomain,
    clientId: kit.endpoints.clientId,
    invocationCount: async () => kit.requestCounts().functionUrl,
    advanceTime: (ms) => clock.advanceBy(ms),
    otherClient,
    rateLimit,
    trustsForwardedFor: options.trustForwardedFor ?? true,
  };
  return {
    kit,
    target,
    clock,
    stateDir,
    async close() {
      await kit.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A second client on the same pool (same settings as the stack's), so "another client's code" can be tested. */
function addOtherClient(kit: Kit): FlowTarget["otherClient"] {
  const d = kit.deployment;
  const pool = d.userPools[0]!;
  const main = pool.clients[0]!;
  const other = {
    logicalId: "TestOtherClient",
    clientId: newClientId(),
    clientSecret: newClientSecret(),
    properties: main.properties,
  };
  kit.cognito.reconfigure(
    d.userPools.map((p) =>
      userPoolConfigFromTemplate({
        id: p.id,
        region: d.region,
        properties: p.properties,
        domainPrefix: p.domainPrefix,
        clients: p === pool ? [...p.clients, other] : p.clients,
      }),
    ),
  );
  return { clientId: other.clientId, redirectUri: kit.endpoints.site };
}
