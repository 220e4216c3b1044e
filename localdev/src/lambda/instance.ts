// One function instance: a process of the runtime's Node that keeps its module state between invocations.
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { FunctionConfig } from "./config.js";
import { functionArn, lambdaEnvironment, logGroupName } from "./environment.js";
import type { RunnableNode } from "./nodeRuntimes.js";

const BOOTSTRAP = fileURLToPath(new URL("./bootstrap.mjs", import.meta.url));
// Lambda gives the init phase 10 s of its own before it counts as failed.
const INIT_TIMEOUT_MS = 10_000;
// V8's last words before it aborts a process whose heap is full.
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit/;

// Instances end with the kit, whichever way it stops.
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

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

interface InstanceMessage {
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
  /** True once the process has exited (crash, timeout, retirement). */
  dead = false;
  busy = false;
  /** True after the first successful init: later invocations are warm. */
  warm = false;
  /** Peak resident memory reported by the instance's process. */
  maxMemoryUsedMb = 0;
  private readonly child: ChildProcess;
  private readonly initStarted = performance.now();
  private readonly readyOutcome: Promise<InitOutcome>;
  private pending?: PendingInvoke;
  private lastError?: Error;
  private exitCode?: number | null;
  private exitSignal?: NodeJS.Signals | null;
  private outOfMemory = false;
  private initialized = false;

  constructor(
    readonly id: string,
    readonly generation: number,
    config: FunctionConfig,
    node: RunnableNode,
    private readonly onLog: LogSink,
  ) {
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll("-", "/")}/[$LATEST]${randomBytes(16).toString("hex")}`;
    const environment = lambdaEnvironment(config, logStreamName);
    const instanceData = {
      codeDir: config.codeDir,
      handler: config.handler,
      functionName: config.name,
      memorySizeMb: config.memorySizeMb,
      invokedFunctionArn: functionArn(config),
      logGroupName: logGroupName(config),
      logStreamName,
      ...(config.hostRouting ? { hostRouting: config.hostRouting } : {}),
    };
    this.child = fork(BOOTSTRAP, [JSON.stringify(instanceData)], {
      execPath: node.execPath,
      // Only the runtime's own flags, none of the kit's (tsx, vitest): the asset runs as plain Node does on Lambda.
      execArgv: [
        ...nodeFlags(node, environment.NODE_OPTIONS),
        `--max-old-space-size=${Math.max(16, config.memorySizeMb)}`,
      ],
      env: environment,
      cwd: config.codeDir,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // Structured clone: the event and result JSON texts cross the pipe without a second JSON encoding.
      serialization: "advanced",
    });
    live.add(this.child);
    this.forwardOutput(this.child.stdout, "INFO");
    this.forwardOutput(this.child.stderr, "ERROR");
    this.readyOutcome = new Promise<InitOutcome>((resolve) => {
      const timer = setTimeout(() => {
        void this.terminate();
        resolve(
          this.initFailure("Sandbox.Timedout", `Init phase did not finish within ${INIT_TIMEOUT_MS} ms`),
        );
      }, INIT_TIMEOUT_MS);
      this.child.on("message", (message: InstanceMessage) => {
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
      this.child.on("error", (error) => {
        this.lastError = error;
      });
      // "close", not "exit": the process's last output (an out-of-memory notice) has been read by then.
      this.child.on("close", (code, signal) => {
        clearTimeout(timer);
        live.delete(this.child);
        this.exitCode = code;
        this.exitSignal = signal;
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

  /** Runs one invocation; on timeout the process is killed, as Lambda discards the environment. */
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
        const durationMs = performance.now() - started;
        // Answered once the environment is gone, as Lambda discards it before the next invocation.
        void this.terminate().then(() => resolve({ kind: "timeout", durationMs }));
      }, timeoutMs);
      this.pending = { requestId, started, timer, resolve };
      try {
        // JSON text, as Lambda's runtime API hands the event over: the function sees exactly what JSON can carry.
        this.child.send({
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
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("close", () => resolve()));
    this.child.kill("SIGKILL");
    await exited;
  }

  /** Output written straight to stdout or stderr (not through console) goes to the log as Lambda keeps it. */
  private forwardOutput(stream: NodeJS.ReadableStream | null, level: string): void {
    if (!stream) return;
    stream.setEncoding("utf8");
    let partial = "";
    stream.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (OUT_OF_MEMORY.test(line)) this.outOfMemory = true;
        if (line) this.onLog(level, line, this.pending?.requestId);
      }
    });
  }

  private onMessage(message: InstanceMessage): void {
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
    const error = this.lastError;
    if (this.outOfMemory) {
      return { errorType: "Runtime.OutOfMemory", errorMessage: "Runtime exited with error: out of memory" };
    }
    if (error)
      return {
        errorType: error.name || "Error",
        errorMessage: `Runtime exited with error: ${error.message}`,
      };
    return {
      errorType: "Runtime.ExitError",
      errorMessage: this.exitSignal
        ? `Runtime exited with error: signal: ${this.exitSignal}`
        : `Runtime exited with error: exit status ${this.exitCode ?? "unknown"}`,
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

/** The runtime's flags, less the ones a function turns back on through NODE_OPTIONS (as Lambda drops them). */
function nodeFlags(node: RunnableNode, nodeOptions = ""): string[] {
  return node.nodeFlags.filter((flag) => !nodeOptions.includes(flag.replace("--no-", "--")));
}
