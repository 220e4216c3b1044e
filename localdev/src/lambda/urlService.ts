// The Function URL service (server, front end and runtime) in a thread of its own, driven from the main thread.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { PortInUseError } from "../shared/listen.js";
import type { Logger } from "../shared/log.js";
import type { FunctionActivity } from "./activity.js";
import type { FunctionConfig } from "./config.js";
import type { InvocationRecord, InvokeResult } from "./runtime.js";
import type {
  ForwardedLogLine,
  PortableError,
  PortableUrlConfig,
  ServiceReply,
  ServiceRequest,
  Unnumbered,
  UrlServiceWorkerData,
} from "./urlServiceProtocol.js";

export interface FunctionUrlService {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Requests the URL has received since start (read without a round trip). */
  requests(): number;
  /** First call starts the runtime; later calls reload it (idle instances retire, the next request is cold). */
  configure(fn: FunctionConfig, url: PortableUrlConfig): Promise<void>;
  /** Newest first, at most 100. */
  recentInvocations(): Promise<InvocationRecord[]>;
  /** Sends `event` straight to the function, as `aws lambda invoke` does (no Function URL in between). */
  invoke(event: unknown): Promise<InvokeResult>;
  /** Hands each batch of the function's activity (invocations, log lines, instances) to `listener`. */
  onActivity(listener: (activity: FunctionActivity) => void): void;
  close(): Promise<void>;
}

// The thread runs the kit's TypeScript sources through tsx's require hook, whatever loader the parent has
// (tsx for npm start, Vite's in the tests): Node 20 applies no module hooks inside worker threads.
const require = createRequire(import.meta.url);
const THREAD_FILE = fileURLToPath(new URL("./urlServiceThread.ts", import.meta.url));
const THREAD_BOOT = `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register();
require(${JSON.stringify(THREAD_FILE)});`;

function toError(error: PortableError): Error {
  if (error.name === "PortInUseError" && error.port !== undefined)
    return new PortInUseError(error.port, error.service ?? "functionUrl");
  return Object.assign(new Error(error.message), { name: error.name });
}

/**
 * Starts the thread and resolves once it listens on `port` (0 = ephemeral); requests get 503 until
 * {@link FunctionUrlService.configure} is called.
 * @throws PortInUseError when the port is taken.
 */
export function startFunctionUrlService(options: {
  port: number;
  host?: string;
  log: Logger;
}): Promise<FunctionUrlService> {
  const requestCounter = new SharedArrayBuffer(4);
  const counts = new Int32Array(requestCounter);
  const worker = new Worker(THREAD_BOOT, {
    eval: true,
    workerData: {
      port: options.port,
      host: options.host,
      requestCounter,
      ...(options.log.stderr ? { stderr: options.log.stderr } : {}),
    } satisfies UrlServiceWorkerData,
    execArgv: [],
  });
  const loggers = new Map<string, Logger>();
  const loggerFor = (scope: string[]) => {
    const key = scope.join("\0");
    let logger = loggers.get(key);
    if (!logger) {
      logger = scope.reduce((parent, child) => parent.child(child), options.log);
      loggers.set(key, logger);
    }
    return logger;
  };
  const activityListeners: Array<(activity: FunctionActivity) => void> = [];
  const writeLogs = (lines: ForwardedLogLine[]) => {
    for (const line of lines) loggerFor(line.scope)[line.level](line.msg, line.fields);
  };

  let nextId = 1;
  let exited: Error | undefined;
  const pending = new Map<number, { resolve: (reply: ServiceReply) => void; reject: (e: Error) => void }>();
  const call = (request: Unnumbered<ServiceRequest>): Promise<ServiceReply> => {
    if (exited) return Promise.reject(exited);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as ServiceRequest);
    });
  };
  const settle = (reply: ServiceReply) => {
    if (!("id" in reply)) return;
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.type === "error") waiter?.reject(toError(reply.error));
    else waiter?.resolve(reply);
  };

  return new Promise((resolve, reject) => {
    worker.on("message", (reply: ServiceReply) => {
      if (reply.type === "logs") writeLogs(reply.lines);
      else if (reply.type === "stderr") process.stderr.write(reply.bytes);
      else if (reply.type === "activity") for (const listener of activityListeners) listener(reply.activity);
      else if (reply.type === "failed") {
        reject(toError(reply.error));
        void worker.terminate();
      } else if (reply.type === "listening") {
        resolve({
          port: reply.port,
          url: `http://127.0.0.1:${reply.port}`,
          requests: () => Atomics.load(counts, 0),
          async configure(fn, url) {
            await call({ type: "configure", function: fn, url });
          },
          async recentInvocations() {
            const reply = await call({ type: "invocations" });
            return reply.type === "invocations" ? reply.invocations : [];
          },
          async invoke(event) {
            const reply = await call({ type: "invoke", event });
            if (reply.type !== "invoked") throw new Error("The Function URL service did not invoke");
            return reply.result;
          },
          onActivity(listener) {
            activityListeners.push(listener);
          },
          async close() {
            if (exited) return;
            await call({ type: "close" });
            await worker.terminate();
          },
        });
      } else settle(reply);
    });
    worker.on("error", (error) => {
      options.log.error("Function URL service failed", { error: error.message });
      reject(error);
    });
    worker.on("exit", (code) => {
      exited = new Error(`The Function URL service stopped (exit code ${code})`);
      for (const waiter of pending.values()) waiter.reject(exited);
      pending.clear();
      reject(exited);
    });
  });
}
