// The shared flows against the LocalStack target: LocalStack 4.14.0 in Testcontainers, the stack deployed with
// cdklocal, the kit in front. Skips with one line when no Docker engine answers (checked without testcontainers).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { deployToLocalStack } from "../../localdev/src/localstack/deploy.js";
import { type LocalStackFront, startLocalStackFront } from "../../localdev/src/localstack/front.js";
import { ManualClock } from "../../localdev/src/shared/clock.js";
import { createLogger, silentLogger } from "../../localdev/src/shared/log.js";
import { isSynthStale, runSynth } from "../../localdev/src/template/synth.js";
import { flows } from "../flows/flows.js";
import type { FlowTarget } from "../flows/target.js";
import { probeDockerEngine } from "./dockerEngine.js";

/** The image the compose file pins too; newer tags need LOCALSTACK_AUTH_TOKEN. */
const LOCALSTACK_IMAGE = process.env.LOCALSTACK_IMAGE ?? "localstack/localstack:4.14.0";
const root = resolve(import.meta.dirname, "../..");

const probe = await probeDockerEngine();
if (!probe.available) console.log(`containers tier skipped: ${probe.reason}`);

describe.skipIf(!probe.available)(`flows over HTTP (LocalStack ${LOCALSTACK_IMAGE} + kit)`, () => {
  let container: { stop(): Promise<unknown>; getConnectionUri(): string } | undefined;
  let front: LocalStackFront | undefined;
  let stateDir: string;
  let target: FlowTarget;

  beforeAll(async () => {
    const log = process.env.FURL_TEST_LOG ? createLogger("containers") : silentLogger;
    if (isSynthStale(root, join(root, "cdk.out"))) await runSynth(root, log);
    // Imported only now: testcontainers can hang at import time when no engine exists.
    const { LocalstackContainer } = await import("@testcontainers/localstack");
    // Fixed ports: the deploy writes the kit's URLs into LocalStack before the kit listens.
    const basePort = 40_000 + Math.floor(Math.random() * 1_000) * 10;
    container = await new LocalstackContainer(LOCALSTACK_IMAGE)
      // Lambda runs in sibling containers through the host's engine; they reach the kit on the host gateway.
      .withBindMounts([{ source: "/var/run/docker.sock", target: "/var/run/docker.sock" }])
      .withEnvironment({
        LAMBDA_DOCKER_FLAGS: "--add-host=host.docker.internal:host-gateway",
        CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: "1",
        // As in docker-compose.yml: CloudFront's shim forwards the page's Origin to LocalStack.
        EXTRA_CORS_ALLOWED_ORIGINS: `http://127.0.0.1:${basePort}`,
        ...(process.env.LOCALSTACK_AUTH_TOKEN
          ? { LOCALSTACK_AUTH_TOKEN: process.env.LOCALSTACK_AUTH_TOKEN }
          : {}),
      })
      .start();
    const endpoint = container.getConnectionUri();
    stateDir = mkdtempSync(join(tmpdir(), "furl-kit-localstack-"));
    const internalCognitoUrl = `http://host.docker.internal:${basePort + 1}`;
    const deployed = await deployToLocalStack({
      root,
      assemblyDir: join(root, "cdk.out"),
      localstackAssemblyDir: join(stateDir, "cdk.out.localstack"),
      stateDir,
      endpoint,
      publicHost: "127.0.0.1",
      basePort,
      internalCognitoUrl,
      log,
    });
    const clock = new ManualClock(Date.now());
    front = await startLocalStackFront({
      assemblyDir: join(root, "cdk.out"),
      stateDir,
      localstack: { endpoint, functionUrl: deployed.functionUrl },
      basePort,
      bindHost: "0.0.0.0",
      publicHost: "127.0.0.1",
      internalCognitoUrl,
      trustForwardedFor: true,
      clock,
      log,
    });
    const rules = front.deployment.webAcls[0]?.properties.Rules as {
      Statement: { RateBasedStatement?: { Limit: number } };
    }[];
    const open = front;
    target = {
      name: "LocalStack",
      siteUrl: `${open.urls.site}/`,
      apiUrl: `${open.urls.cloudfront}/`,
      functionUrl: `${open.urls.functionUrl}/`,
      cognitoUrl: open.urls.cognito,
      clientId: open.parameters.identity.clientId,
      invocationCount: async () => open.functionInvocations(),
      advanceTime: (ms) => clock.advanceBy(ms),
      rateLimit: rules?.map((r) => r.Statement.RateBasedStatement?.Limit).find((l) => l !== undefined) ?? 100,
      trustsForwardedFor: true,
    };
  });

  afterAll(async () => {
    await front?.close();
    await container?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  for (const flow of flows) {
    it(flow.name, () => flow.run(target));
  }
});
