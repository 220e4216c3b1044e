// Stage limits: each stage has its own, and the error names the stage that ran out of time.
import { describe, expect, it } from "vitest";
import { StageTimeoutError, timedStages } from "./stages.js";

describe("timedStages", () => {
  const stages = timedStages({ quick: 1_000, stuck: 30, failing: 1_000 });

  it("returns what a stage that finishes in time returns, and sums the limits", async () => {
    await expect(stages("quick", async () => 42)).resolves.toBe(42);
    expect(stages.totalMs).toBe(2_030);
  });

  it("fails a stage that runs out of time with its name, and aborts its work", async () => {
    let aborted = false;
    const run = stages(
      "stuck",
      (signal) =>
        new Promise<never>(() => {
          signal.addEventListener("abort", () => {
            aborted = true;
          });
        }),
    );
    await expect(run).rejects.toBeInstanceOf(StageTimeoutError);
    await expect(run).rejects.toThrow('stage "stuck" ran out of time');
    expect(aborted).toBe(true);
  });

  it("names the stage in a failure from inside it", async () => {
    await expect(
      stages("failing", async () => {
        throw new Error("connection refused");
      }),
    ).rejects.toThrow('stage "failing" failed: connection refused');
  });

  it("refuses a stage nobody gave a limit", async () => {
    await expect(stages("unplanned", async () => 1)).rejects.toThrow(/has no time limit/);
  });
});
