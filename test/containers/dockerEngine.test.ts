// The containers tier's own guard: it must decide quickly, whatever the machine has.
import { describe, expect, it } from "vitest";
import { probeDockerEngine } from "./dockerEngine.js";

describe("probeDockerEngine", () => {
  it("answers within a second with either an endpoint or a reason", async () => {
    const started = performance.now();
    const probe = await probeDockerEngine();
    const elapsed = performance.now() - started;
    console.log(`docker probe: ${JSON.stringify(probe)} in ${elapsed.toFixed(0)} ms`);
    if (probe.available) expect(probe.endpoint).toMatch(/^(unix|tcp|npipe):\/\//);
    else expect(probe.reason.length).toBeGreaterThan(10);
  });

  it("reports an unreachable DOCKER_HOST instead of hanging", async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = "tcp://127.0.0.1:1";
    try {
      const probe = await probeDockerEngine(300);
      expect(probe).toEqual({
        available: false,
        reason: "DOCKER_HOST=tcp://127.0.0.1:1 does not answer /_ping",
      });
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });
});
