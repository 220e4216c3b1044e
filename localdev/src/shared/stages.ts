// Named stages with a time limit each: a slow stage fails with its own name, and its work is aborted.
/** Runs one named step of a longer setup; `signal` aborts when the step is given up. */
export type StageRunner = <T>(name: string, work: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** Runs every stage without a limit (what a user's own `npm run localstack:deploy` does). */
export const untimedStages: StageRunner = (_name, work) => work(new AbortController().signal);

export class StageTimeoutError extends Error {
  constructor(
    readonly stage: string,
    readonly limitMs: number,
  ) {
    super(`stage "${stage}" ran out of time after ${Math.round(limitMs / 1000)} s`);
    this.name = "StageTimeoutError";
  }
}

/**
 * A runner giving each stage the limit named in `limits`; a stage without one is a programming error.
 * A failure inside a stage is re-thrown with the stage's name in front.
 */
export function timedStages(limits: Record<string, number>): StageRunner & { totalMs: number } {
  const runner = async <T>(name: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const limitMs = limits[name];
    if (limitMs === undefined) throw new Error(`stage "${name}" has no time limit`);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new StageTimeoutError(name, limitMs));
      }, limitMs);
    });
    try {
      return await Promise.race([work(controller.signal), timeout]);
    } catch (error) {
      if (error instanceof StageTimeoutError) throw error;
      throw new Error(`stage "${name}" failed: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
  return Object.assign(runner, { totalMs: Object.values(limits).reduce((sum, ms) => sum + ms, 0) });
}
