// The shared flows against the LocalStack target: LocalStack 4.14.0 in Testcontainers, the stack deployed with
// cdklocal, the kit in front. Skips with one line when no Docker engine answers (checked without testcontainers).
// Every set-up stage has its own time limit; the error names the stage that ran out.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { deployToLocalStack } from "../../localdev/src/localstack/deploy.js";
import { type LocalStackFront, startLocalStackFront } from "../../localdev/src/localstack/front.js";
import { ManualClock } from "../../localdev/src/shared/clock.js";
import { createLogger, silentLogger } from "../../localdev/src/shared/log.js";
import { timedStages } from "../../localdev/src/shared/stages.js";
import { isSynthStale, runSynth } from "../../localdev/src/template/synth.js";
import { flows } from "../flows/flows.js";
import type { FlowTarget } from "../flows/target.js";
import { portForwarderAddress } from "../support/localstack/portForwarder.js";
import { probeDockerEngine } from "./dockerEngine.js";

/** The image the compose file pins too; newer tags need LOCALSTACK_AUTH_TOKEN. */
const LOCALSTACK_IMAGE = process.env.LOCALSTACK_IMAGE ?? "localstack/localstack:4.14.0";
const root = resolve(import.meta.dirname, "../..");

/**
 * Each stage of the set-up has its own limit, so a slow one fails with its name. The first run pulls
 * images: LocalStack (the largest), testcontainers/ryuk and testcontainers/sshd, and, when the deploy
 * creates the function, public.ecr.aws/lambda/nodejs (inside "cdklocal deploy").
 */
const stages = timedStages({
  synth: 180_000,
  "container runtime": 30_000,
  "port forwarder for the kit's Cognito": 180_000,
  "LocalStack start": 600_000,
  SecureStrings: 30_000,
  "cdklocal bootstrap": 300_000,
  "cdklocal deploy": 420_000,
  "kit start": 60_000,
});

const probe = await probeDockerEngine();
if (!probe.available) console.log(`containers tier skipped: ${probe.reason}`);

describe.skipIf(!probe.available)(`flows over HTTP (LocalStack ${LOCALSTACK_IMAGE} + kit)`, () => {
  let container: { stop(): Promise<unknown>; getConnectionUri(): string } | undefined;
  let front: LocalStackFront | undefined;
  let stateDir: string;
  let target: FlowTarget;

  beforeAll(async () => {
    const log = process.env.FURL_TEST_LOG ? createLogger("containers") : silentLogger;
    if (isSynthStale(root, join(root, "cdk.out"))) await stages("synth", () => runSynth(root, log));
    // Imported only now: testcontainers can hang at import time when no engine exists.
    const { getContainerRuntimeClient, getReaper, TestContainers } = await import("testcontainers");
    const { LocalstackContainer } = await import("@testcontainers/localstack");
    // The engine as Testcontainers found it: rootless Docker, Podman and a remote DOCKER_HOST included.
    const client = await stages("container runtime", () => getContainerRuntimeClient());
    // Fixed ports (the deploy writes the kit's URLs into LocalStack before the kit listens), below Linux's
    // ephemeral range (32768-60999) so no outgoing connection holds them.
    const basePort = 20_000 + Math.floor(Math.random() * 1_000) * 10;
    // Lambda containers reach the kit's Cognito through Testcontainers' SSH port forwarder: the tunnel is
    // opened from this process, so no host firewall rule on docker0 is in the way.
    const forwarder = await stages("port forwarder for the kit's Cognito", async () => {
      await TestContainers.exposeHostPorts(basePort + 1);
      const { sessionId } = await getReaper(client);
      return portForwarderAddress(await client.container.list(), sessionId);
    });
    const siteOrigins = [`http://127.0.0.1:${basePort}`, `http://localhost:${basePort}`];
    container = await stages("LocalStack start", () =>
      new LocalstackContainer(LOCALSTACK_IMAGE)
        // LocalStack starts each Lambda container through the engine's own socket (as the engine sees it).
        .withBindMounts([
          { source: client.info.containerRuntime.remoteSocketPath, target: "/var/run/docker.sock" },
        ])
        .withEnvironment({
          // Lambda containers join the port forwarder's network and find it as host.testcontainers.internal.
          LAMBDA_DOCKER_NETWORK: forwarder.network,
          LAMBDA_DOCKER_FLAGS: `--add-host=host.testcontainers.internal:${forwarder.address}`,
          CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: "0",
          // As in docker-compose.yml: CloudFront's shim forwards the page's Origin to LocalStack.
          EXTRA_CORS_ALLOWED_ORIGINS: siteOrigins.join(","),
          ...(process.env.LOCALSTACK_AUTH_TOKEN
            ? { LOCALSTACK_AUTH_TOKEN: process.env.LOCALSTACK_AUTH_TOKEN }
            : {}),
        })
        .start(),
    );
    // Testcontainers' host for the mapped port: 127.0.0.1 locally, the engine's address for a remote one.
    const endpoint = container.getConnectionUri();
    stateDir = mkdtempSync(join(tmpdir(), "furl-kit-localstack-"));
    const internalCognitoUrl = `http://host.testcontainers.internal:${basePort + 1}`;
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
      stages,
    });
    const clock = new ManualClock(Date.now());
    front = await stages("kit start", () =>
      startLocalStackFront({
        assemblyDir: join(root, "cdk.out"),
        stateDir,
        localstack: { endpoint, functionUrl: deployed.functionUrl },
        basePort,
        // The port forwarder's tunnel ends on this machine's loopback: nothing listens beyond it.
        bindHost: "127.0.0.1",
        publicHost: "127.0.0.1",
        internalCognitoUrl,
        trustForwardedFor: true,
        clock,
        log,
      }),
    );
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
  }, stages.totalMs);

  afterAll(async () => {
    await front?.close();
    await container?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  for (const flow of flows) {
    it(flow.name, () => flow.run(target));
  }
});
