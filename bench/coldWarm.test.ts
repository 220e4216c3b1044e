// The cold/warm benchmark helper reports one cold start and the requested number of warm runs.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { benchHandlerColdWarm } from "./coldWarm.js";

const dir = mkdtempSync(join(tmpdir(), "furl-lambda-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Function: benchHandlerColdWarm", () => {
  it("measures a cold start and warm invocations", async () => {
    writeFileSync(join(dir, "index.mjs"), "export const handler = async () => process.env.MARK;");
    const figures = await benchHandlerColdWarm(dir, { MARK: "x" }, { warmInvocations: 5 });
    expect(figures.initDurationMs).toBeGreaterThan(0);
    expect(figures.warmDurationsMs).toHaveLength(5);
    expect(figures.warmP95Ms).toBeGreaterThanOrEqual(figures.warmMedianMs);
  });

  it("fails with the error type when the function fails", async () => {
    writeFileSync(join(dir, "broken.mjs"), "throw new Error('no');");
    await expect(benchHandlerColdWarm(dir, {}, { handler: "broken.handler" })).rejects.toThrow(
      "Benchmark invocation failed: Error",
    );
  });
});
