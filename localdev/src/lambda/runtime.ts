// Runs one function like Lambda: cold and warm instances, a concurrency cap with a bounded queue,
// timeouts, error results, a REPORT line per invocation and a list of recent invocations.
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { type Clock, systemClock } from "../shared/clock.js";
import { type Logger, silentLogger } from "../shared/log.js";
import type { FunctionConfig } from "./config.js";
import { FunctionInstance, type InstanceOutcome } from "./instance.js";
import { type NodeRuntime, nodeForRuntime } from "./nodeRuntimes.js";

/** Lambda's synchronous payload limit, for the response. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
// Instances start on demand, a process of the runtime's Node each. Without ReservedConcurrentExecutions Lambda
// would start one per concurrent request; here instances beyond the machine's cores cannot run at once and only
// add context switches and JIT warm-ups (on 2 cores, 10 instances served the guest flow ~30% slower than 2), so the kit
// starts up to one per core (2 to 10) and further requests wait for the next free one. Only past Lambda's
// default account concurrency of 1000 do they get Lambda's 429.
const DEFAULT_CONCURRENCY = Math.min(10, Math.max(2, availableParallelism()));
const ACCOUNT_CONCURRENCY = 1000;
// With reserved concurrency the limit is the function's own: a short queue, then 429 as Lambda answers.
const DEFAULT_MAX_QUEUED = 32;
const RECENT_LIMIT = 100;

export type InvokeResult =
  | {
      ok: true;
      payload: unknown;
      durationMs: number;
      initDurationMs?: number;
      requestId: string;
      instanceId: string;
      cold: boolean;
    }
  | {
      ok: false;
      errorType: string;
      errorMessage: string;
      /** 502 function error or timeout, 429 throttled. */
      status: number;
      requestId: string;
    };

export type InvocationStatus = "success" | "error" | "timeout" | "throttled";

export interface InvocationRecord {
  requestId: string;
  /** ISO time from the kit's clock. */
  startedAt: string;
  durationMs: number;
  initDurationMs?: number;
  status: InvocationStatus;
  cold: boolean;
  instanceId?: string;
  errorType?: string;
}

export interface FunctionRuntime {
  /** Invokes the function; `requestId` lets the Function URL reuse its own request id. */
  invoke(event: unknown, options?: { requestId?: string }): Promise<InvokeResult>;
  /** Code or config changed: idle instances are retired now, busy ones after their invocation. */
  reload(config?: FunctionConfig): void;
  /** Newest first, at most 100. */
  recentInvocations(): InvocationRecord[];
  /** Live instances: started and initialized (warm), and running an invocation now (busy). */
  instanceCounts(): InstanceCounts;
  close(): Promise<void>;
}

export interface InstanceCounts {
  warm: number;
  busy: number;
}

export interface RuntimeDeps {
  log?: Logger;
  clock?: Clock;
  /**
   * Requests waiting for a free instance beyond which the runtime throttles (429). Default 32 with reserved
   * concurrency, else what keeps the total under Lambda's default account concurrency (1000).
   */
  maxQueued?: number;
  /** Told about each invocation as it is recorded (the kit's console keeps its own history). */
  onInvocation?: (record: InvocationRecord) => void;
}

interface Job {
  event: unknown;
  requestId: string;
  resolve: (result: InvokeResult) => void;
}

/**
 * Creates the runtime of one function, whose instances run on the Node major of its Lambda runtime. A runtime
 * the kit cannot run (not Node.js, deprecated, not installed) is named in the log when the runtime is created
 * or a reload changes it, and each invocation answers InvalidRuntimeException, as Lambda's Invoke does for an unsupported runtime.
 */
export function createFunctionRuntime(initial: FunctionConfig, deps: RuntimeDeps = {}): FunctionRuntime {
  const clock = deps.clock ?? systemClock;
  const log = (deps.log ?? silentLogger).child(initial.name);
  let node = checkedNode(initial);
  const maxQueued = () =>
    deps.maxQueued ??
    (config.maxConcurrency === undefined ? ACCOUNT_CONCURRENCY - DEFAULT_CONCURRENCY : DEFAULT_MAX_QUEUED);
  let config = initial;
  let generation = 0;
  let nextInstance = 1;
  let closed = false;
  let instances: FunctionInstance[] = [];
  const queue: Job[] = [];
  const recent: InvocationRecord[] = [];

  const capacity = () => config.maxConcurrency ?? DEFAULT_CONCURRENCY;

  function checkedNode(fn: FunctionConfig): NodeRuntime {
    const found = nodeForRuntime(fn.runtime);
    if (found.runnable) log.info(`Runtime ${fn.runtime} on Node ${found.version}`);
    else log.warn(`Runtime ${fn.runtime} cannot run here: ${found.reason}. Its invocations fail.`);
    return found;
  }

  function unrunnable(requestId: string, reason: string): InvokeResult {
    log.error(`${requestId} InvalidRuntimeException: ${reason}`);
    record({
      requestId,
      startedAt: new Date(clock.now()).toISOString(),
      durationMs: 0,
      status: "error",
      cold: false,
      errorType: "InvalidRuntimeException",
    });
    return failure(
      requestId,
      "InvalidRuntimeException",
      `The runtime ${config.runtime} of ${config.name} is not supported: ${reason}.`,
    );
  }

  function takeInstance(): FunctionInstance | undefined {
    if (!node.runnable) return undefined;
    instances = instances.filter((i) => !i.dead);
    const idle = instances.find((i) => !i.busy);
    const instance =
      idle ??
      (instances.length < capacity()
        ? new FunctionInstance(`${config.name}-${nextInstance++}`, generation, config, node, forwardLog)
        : undefined);
    if (!instance) return undefined;
    if (!idle) instances.push(instance);
    instance.busy = true;
    return instance;
  }

  function forwardLog(level: string, text: string, requestId: string | undefined): void {
    log.info(`${requestId ?? "-"} ${level} ${text}`);
  }

  function record(entry: InvocationRecord): void {
    recent.unshift(entry);
    if (recent.length > RECENT_LIMIT) recent.pop();
    deps.onInvocation?.(entry);
  }

  function release(instance: FunctionInstance): void {
    if (instance.dead || instance.generation !== generation || closed) {
      void instance.terminate();
      instances = instances.filter((i) => i !== instance);
    } else {
      instance.busy = false;
    }
    pump();
  }

  function pump(): void {
    if (!node.runnable) {
      for (const job of queue.splice(0)) job.resolve(unrunnable(job.requestId, node.reason));
      return;
    }
    while (queue.length > 0) {
      const instance = takeInstance();
      if (!instance) return;
      void run(instance, queue.shift()!);
    }
  }

  // A bug in the runtime must answer the request, not leave it hanging.
  async function run(instance: FunctionInstance, job: Job): Promise<void> {
    try {
      await runOnInstance(instance, job);
    } catch (error) {
      log.error(`${job.requestId} Runtime failure`, { error: (error as Error).message });
      job.resolve(failure(job.requestId, "FurlKit.RuntimeError", "The function runtime failed"));
      if (instance.busy) {
        void instance.terminate();
        release(instance);
      }
    }
  }

  async function runOnInstance(instance: FunctionInstance, job: Job): Promise<void> {
    const startedAt = new Date(clock.now()).toISOString();
    const cold = !instance.warm;
    let initDurationMs: number | undefined;
    if (cold) {
      const init = await instance.ready();
      initDurationMs = init.initDurationMs;
      if (!init.ok) {
        log.error(`${job.requestId} Init failed: ${init.errorType}: ${init.errorMessage}`, {
          codeDir: config.codeDir,
          handler: config.handler,
          ...(init.stack?.length ? { stack: init.stack.slice(0, 5) } : {}),
        });
        void instance.terminate();
        report(job.requestId, 0, initDurationMs, instance, `Status: error Error Type: ${init.errorType}`);
        record({
          requestId: job.requestId,
          startedAt,
          durationMs: 0,
          initDurationMs: round2(initDurationMs),
          status: "error",
          cold,
          instanceId: instance.id,
          errorType: init.errorType,
        });
        job.resolve(failure(job.requestId, init.errorType, init.errorMessage));
        release(instance);
        return;
      }
      instance.warm = true;
    }
    const outcome = await instance.invoke(job.requestId, job.event, config.timeoutSeconds * 1000);
    const result = toResult(outcome, job.requestId, instance, cold, initDurationMs, config);
    if (!result.ok) {
      log.error(`${job.requestId} Invoke Error ${result.errorType}: ${result.errorMessage}`, {
        ...(outcome.kind === "error" && outcome.stack?.length ? { stack: outcome.stack.slice(0, 5) } : {}),
      });
    }
    const status: InvocationStatus = outcome.kind === "timeout" ? "timeout" : result.ok ? "success" : "error";
    report(
      job.requestId,
      outcome.durationMs,
      initDurationMs,
      instance,
      result.ok ? "" : statusSuffix(outcome, result),
    );
    record({
      requestId: job.requestId,
      startedAt,
      durationMs: round2(outcome.durationMs),
      ...(initDurationMs !== undefined ? { initDurationMs: round2(initDurationMs) } : {}),
      status,
      cold,
      instanceId: instance.id,
      ...(result.ok ? {} : { errorType: result.errorType }),
    });
    job.resolve(result);
    release(instance);
  }

  function report(
    requestId: string,
    durationMs: number,
    initDurationMs: number | undefined,
    instance: FunctionInstance,
    suffix: string,
  ): void {
    const init = initDurationMs !== undefined ? ` Init Duration: ${initDurationMs.toFixed(2)} ms` : "";
    log.info(
      `REPORT RequestId: ${requestId} Duration: ${durationMs.toFixed(2)} ms Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms ` +
        `Memory Size: ${config.memorySizeMb} MB Max Memory Used: ${instance.maxMemoryUsedMb} MB${init}${suffix ? ` ${suffix}` : ""}`,
    );
  }

  return {
    invoke(event, options = {}) {
      const requestId = options.requestId ?? randomUUID();
      if (closed)
        return Promise.resolve(failure(requestId, "FurlKit.RuntimeClosed", "The function runtime is closed"));
      if (!node.runnable) return Promise.resolve(unrunnable(requestId, node.reason));
      return new Promise<InvokeResult>((resolve) => {
        const job: Job = { event, requestId, resolve };
        const instance = takeInstance();
        if (instance) {
          void run(instance, job);
        } else if (capacity() > 0 && queue.length < maxQueued()) {
          queue.push(job);
        } else {
          log.warn(
            `${requestId} Throttled: ${capacity()} instances busy and ${queue.length} requests queued`,
          );
          record({
            requestId,
            startedAt: new Date(clock.now()).toISOString(),
            durationMs: 0,
            status: "throttled",
            cold: false,
          });
          resolve(failure(requestId, "TooManyRequestsException", "Rate Exceeded.", 429));
        }
      });
    },

    reload(next) {
      if (next) {
        if (next.runtime !== config.runtime) node = checkedNode(next);
        config = next;
      }
      generation++;
      for (const instance of instances.filter((i) => !i.busy)) void instance.terminate();
      instances = instances.filter((i) => i.busy);
      log.info(`Code reloaded; next invocation starts cold`);
      pump();
    },

    recentInvocations: () => recent.map((entry) => ({ ...entry })),

    instanceCounts() {
      const live = instances.filter((i) => !i.dead);
      return { warm: live.filter((i) => i.warm).length, busy: live.filter((i) => i.busy).length };
    },

    async close() {
      closed = true;
      for (const job of queue.splice(0)) {
        job.resolve(failure(job.requestId, "FurlKit.RuntimeClosed", "The function runtime is closed"));
      }
      await Promise.all(instances.map((i) => i.terminate()));
      instances = [];
    },
  };
}

function toResult(
  outcome: InstanceOutcome,
  requestId: string,
  instance: FunctionInstance,
  cold: boolean,
  initDurationMs: number | undefined,
  config: FunctionConfig,
): InvokeResult {
  switch (outcome.kind) {
    case "success": {
      if (Buffer.byteLength(outcome.payloadJson) > MAX_PAYLOAD_BYTES) {
        return failure(
          requestId,
          "Function.ResponseSizeTooLarge",
          `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
        );
      }
      return {
        ok: true,
        payload: JSON.parse(outcome.payloadJson) as unknown,
        durationMs: round2(outcome.durationMs),
        ...(initDurationMs !== undefined ? { initDurationMs: round2(initDurationMs) } : {}),
        requestId,
        instanceId: instance.id,
        cold,
      };
    }
    case "timeout":
      return failure(
        requestId,
        "Sandbox.Timedout",
        `RequestId: ${requestId} Error: Task timed out after ${config.timeoutSeconds.toFixed(2)} seconds`,
      );
    case "error":
    case "crash":
      return failure(requestId, outcome.errorType, outcome.errorMessage);
  }
}

function statusSuffix(outcome: InstanceOutcome, result: InvokeResult): string {
  if (outcome.kind === "timeout") return "Status: timeout";
  return result.ok ? "" : `Status: error Error Type: ${result.errorType}`;
}

function failure(requestId: string, errorType: string, errorMessage: string, status = 502): InvokeResult {
  return { ok: false, errorType, errorMessage, status, requestId };
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
