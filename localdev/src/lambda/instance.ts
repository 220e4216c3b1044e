// One function instance: an isolated worker thread that keeps its module state between invocations.
import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { FunctionConfig } from "./config.js";
import { functionArn, lambdaEnvironment, logGroupName } from "./environment.js";

const WORKER_URL = new URL("./worker.mjs", import.meta.url);
// Lambda gives the init phase 10 s of its own before it counts as failed.
const INIT_TIMEOUT_MS = 10_000;

export type InitOutcome =
  | { ok: true; initDurationMs: number }
  | { ok: false; initDurationMs: number; errorType: string; errorMessage: string; stack?: string[] };

export type InstanceOutcome =
  | { kind: "success"; payloadJson: string; durationMs: number }
  | { kind: "error"; errorType: string; errorMessage: string; stack?: string[]; durationMs: number }
  | { kind: "timeout"; durationMs: number }
  | { kind: "crash"; errorType: string; errorMessage: string; durationMs: number };

export type LogSink = (level: string, text: string, requestId: string | undefined) => void;

interface LogLine {
  level: string;
  text: string;
  requestId?: string;
}

interface WorkerMessage {
  type: "ready" | "initError" | "result" | "logs";
  requestId?: string;
  /** Console output of the function, in order (a "logs" message, or riding on a "result"). */
  logs?: LogLine[];
  lines?: LogLine[];
  ok?: boolean;
  payloadJson?: string;
  durationMs?: number;
  memoryUsedBytes?: number;
  errorType?: string;
  errorMessage?: string;
  stack?: string[];
}

interface PendingInvoke {
  requestId: string;
  started: number;
  timer: NodeJS.Timeout;
  resolve: (outcome: InstanceOutcome) => void;
}

export class FunctionInstance {
  /** True once the worker has exited (crash, timeout, retirement). */
  dead = false;
  busy = false;
  /** True after the first successful init: later invocations are warm. */
  warm = false;
  /** Peak memory reported by the worker (its V8 heap, an approximation of Lambda's figure). */
  maxMemoryUsedMb = 0;
  private readonly worker: Worker;
  private readonly initStarted = performance.now();
  private readonly readyOutcome: Promise<InitOutcome>;
  private pending?: PendingInvoke;
  private lastError?: Error;
  private exitCode?: number;
  private initialized = false;

  constructor(
    readonly id: string,
    readonly generation: number,
    config: FunctionConfig,
    private readonly onLog: LogSink,
  ) {
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll("-", "/")}/[$LATEST]${randomBytes(16).toString("hex")}`;
    this.worker = new Worker(WORKER_URL, {
      workerData: {
        codeDir: config.codeDir,
        handler: config.handler,
        generation,
        functionName: config.name,
        memorySizeMb: config.memorySizeMb,
        invokedFunctionArn: functionArn(config),
        logGroupName: logGroupName(config),
        logStreamName,
      },
      env: lambdaEnvironment(config, logStreamName),
      // No loader flags of the kit's own process (tsx, vitest): the asset runs as plain Node does on Lambda.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: Math.max(16, config.memorySizeMb) },
    });
    this.readyOutcome = new Promise<InitOutcome>((resolve) => {
      const timer = setTimeout(() => {
        void this.terminate();
        resolve(
          this.initFailure("Sandbox.Timedout", `Init phase did not finish within ${INIT_TIMEOUT_MS} ms`),
        );
      }, INIT_TIMEOUT_MS);
      this.worker.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") {
          clearTimeout(timer);
          this.initialized = true;
          this.noteMemory(message.memoryUsedBytes);
          resolve({ ok: true, initDurationMs: performance.now() - this.initStarted });
        } else if (message.type === "initError") {
          clearTimeout(timer);
          resolve(this.initFailure(message.errorType, message.errorMessage, message.stack));
        } else {
          this.onMessage(message);
        }
      });
      this.worker.on("error", (error) => {
        this.lastError = error;
      });
      this.worker.on("exit", (code) => {
        clearTimeout(timer);
        this.exitCode = code;
        this.dead = true;
        if (!this.initialized) resolve(this.crashInfoAsInit());
        this.failPending();
      });
    });
  }

  /** Resolves when the module is imported (or failed to import). */
  ready(): Promise<InitOutcome> {
    return this.readyOutcome;
  }

  /** Runs one invocation; on timeout the worker is terminated, as Lambda discards the environment. */
  invoke(requestId: string, event: unknown, timeoutMs: number): Promise<InstanceOutcome> {
    return new Promise<InstanceOutcome>((resolve) => {
      if (this.dead) {
        resolve({
          kind: "crash",
          errorType: "Runtime.ExitError",
          errorMessage: "Instance is gone",
          durationMs: 0,
        });
        return;
      }
      const started = performance.now();
      const timer = setTimeout(() => {
        this.pending = undefined;
        void this.terminate();
        resolve({ kind: "timeout", durationMs: performance.now() - started });
      }, timeoutMs);
      this.pending = { requestId, started, timer, resolve };
      try {
        // JSON text, as Lambda's runtime API hands the event over: cheaper to pass between threads than an
        // object graph, and the function sees exactly what JSON can carry.
        this.worker.postMessage({
          type: "invoke",
          requestId,
          eventJson: JSON.stringify(event ?? null),
          timeoutMs,
        });
      } catch (error) {
        clearTimeout(timer);
        this.pending = undefined;
        resolve({
          kind: "error",
          errorType: "Runtime.InvalidEvent",
          errorMessage: `Event cannot be sent to the function: ${(error as Error).message}`,
          durationMs: 0,
        });
      }
    });
  }

  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }

  private onMessage(message: WorkerMessage): void {
    for (const line of message.lines ?? message.logs ?? []) this.onLog(line.level, line.text, line.requestId);
    if (message.type === "logs") return;
    const pending = this.pending;
    if (message.type !== "result" || !pending || pending.requestId !== message.requestId) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    this.noteMemory(message.memoryUsedBytes);
    const durationMs = message.durationMs ?? performance.now() - pending.started;
    pending.resolve(
      message.ok
        ? { kind: "success", payloadJson: message.payloadJson ?? "null", durationMs }
        : {
            kind: "error",
            errorType: message.errorType ?? "Error",
            errorMessage: message.errorMessage ?? "",
            stack: message.stack,
            durationMs,
          },
    );
  }

  private failPending(): void {
    const pending = this.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    const { errorType, errorMessage } = this.crashInfo();
    pending.resolve({
      kind: "crash",
      errorType,
      errorMessage,
      durationMs: performance.now() - pending.started,
    });
  }

  private crashInfo(): { errorType: string; errorMessage: string } {
    const error = this.lastError as (Error & { code?: string }) | undefined;
    if (error?.code === "ERR_WORKER_OUT_OF_MEMORY") {
      return { errorType: "Runtime.OutOfMemory", errorMessage: "Runtime exited with error: out of memory" };
    }
    if (error)
      return {
        errorType: error.name || "Error",
        errorMessage: `Runtime exited with error: ${error.message}`,
      };
    return {
      errorType: "Runtime.ExitError",
      errorMessage: `Runtime exited with error: exit status ${this.exitCode ?? "unknown"}`,
    };
  }

  private crashInfoAsInit(): InitOutcome {
    const { errorType, errorMessage } = this.crashInfo();
    return this.initFailure(errorType, errorMessage);
  }

  private initFailure(errorType = "Error", errorMessage = "", stack?: string[]): InitOutcome {
    return {
      ok: false,
      initDurationMs: performance.now() - this.initStarted,
      errorType,
      errorMessage,
      stack,
    };
  }

  private noteMemory(bytes: number | undefined): void {
    if (bytes) this.maxMemoryUsedMb = Math.max(this.maxMemoryUsedMb, Math.ceil(bytes / (1024 * 1024)));
  }
}
