// Measures a function's cold start and warm invocation times with the kit's runtime, for the bench script.

import { createFunctionRuntime } from "../localdev/src/lambda/runtime.js";
import { silentLogger } from "../localdev/src/shared/log.js";

export interface ColdWarmFigures {
  initDurationMs: number;
  coldDurationMs: number;
  warmDurationsMs: number[];
  warmMedianMs: number;
  warmP95Ms: number;
}

/**
 * Invokes `<codeDir>/index.handler` once cold, then `warmInvocations` times warm, and reports durations.
 * @throws Error when an invocation fails, naming its error type.
 */
export async function benchHandlerColdWarm(
  codeDir: string,
  env: Record<string, string>,
  options: { handler?: string; event?: unknown; warmInvocations?: number; memorySizeMb?: number } = {},
): Promise<ColdWarmFigures> {
  const runtime = createFunctionRuntime(
    {
      name: "bench",
      codeDir,
      handler: options.handler ?? "index.handler",
      runtime: "nodejs22.x",
      environment: env,
      timeoutSeconds: 30,
      memorySizeMb: options.memorySizeMb ?? 256,
      maxConcurrency: 1,
    },
    { log: silentLogger },
  );
  try {
    const invoke = async () => {
      const result = await runtime.invoke(options.event ?? {});
      if (!result.ok) throw new Error(`Benchmark invocation failed: ${result.errorType}`);
      return result;
    };
    const cold = await invoke();
    const warm: number[] = [];
    for (let i = 0; i < (options.warmInvocations ?? 20); i++) warm.push((await invoke()).durationMs);
    const sorted = [...warm].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      initDurationMs: cold.initDurationMs ?? 0,
      coldDurationMs: cold.durationMs,
      warmDurationsMs: warm,
      warmMedianMs: at(0.5),
      warmP95Ms: at(0.95),
    };
  } finally {
    await runtime.close();
  }
}
