// The Function URL service's thread: its HTTP server, the Function URL front end and the function's runtime.
// Runs apart from the kit's main thread, so the CloudFront hop and the Lambda hop of one request are parsed,
// built and answered on two cores instead of one. Loaded through tsx's require hook (Node 20 applies no
// module hooks in worker threads), so no top-level await here.
import type { RequestListener } from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { type Listening, listen, notReady } from "../shared/listen.js";
import { createThreadStderrLogger, type Logger, type LogLevel } from "../shared/log.js";
import { type FunctionActivity, parseRuntimeLine, tappedLogger } from "./activity.js";
import type { FunctionConfig } from "./config.js";
import { createFunctionUrl } from "./functionUrl.js";
import { createFunctionRuntime, type FunctionRuntime } from "./runtime.js";
import type {
  ForwardedLogLine,
  PortableUrlConfig,
  ServiceReply,
  ServiceRequest,
  Unnumbered,
  UrlServiceWorkerData,
} from "./urlServiceProtocol.js";

const port = parentPort!;
const data = workerData as UrlServiceWorkerData;
const requestCount = new Int32Array(data.requestCounter);

// Log lines go to stderr from this thread when the kit logs there, else to the main thread's logger (its
// scope, level and sink: tests collect or silence them), one message per event-loop turn.
let pendingLogs: ForwardedLogLine[] = [];
function forward(line: ForwardedLogLine): void {
  if (!pendingLogs.length) setImmediate(flushLogs);
  pendingLogs.push(line);
}
function flushLogs(): void {
  if (!pendingLogs.length) return;
  port.postMessage({ type: "logs", lines: pendingLogs } satisfies ServiceReply);
  pendingLogs = [];
}
function forwardingLogger(scope: string[]): Logger {
  const at =
    (level: ForwardedLogLine["level"]) =>
    (msg: string, fields?: Record<string, unknown>): void =>
      forward({ scope, level, msg, ...(fields ? { fields } : {}) });
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (child) => forwardingLogger([...scope, child]),
  };
}
const log = data.stderr
  ? createThreadStderrLogger(data.stderr, (bytes) => port.postMessage({ type: "stderr", bytes }))
  : forwardingLogger([]);

let handler: RequestListener = notReady;
let runtime: FunctionRuntime | undefined;

// The function's activity (invocation records, its log lines, instance counts) for the kit's console, one
// message per event-loop turn, like the log lines.
let activity: FunctionActivity | undefined;
// One timestamp per batch: lines of one event-loop turn share the millisecond anyway.
let activityTime = "";
function pendingActivity(functionName: string): FunctionActivity {
  if (!activity) {
    setImmediate(flushActivity);
    activity = { functionName, invocations: [], logs: [], instances: { warm: 0, busy: 0 } };
    activityTime = new Date().toISOString();
  }
  return activity;
}
function flushActivity(): void {
  if (!activity) return;
  activity.instances = runtime?.instanceCounts() ?? activity.instances;
  port.postMessage({ type: "activity", activity } satisfies ServiceReply);
  activity = undefined;
}
// The function's name now (a reload may rename it; the runtime keeps running under its first logger).
let functionName = "";
function tapRuntimeLine(scope: string[], level: LogLevel, msg: string): void {
  // Lines of the runtime itself sit under the function's child scope; anything else is not the function's.
  if (!scope.length) return;
  const batch = pendingActivity(functionName);
  batch.logs.push(parseRuntimeLine(functionName, level, msg, activityTime));
}

function configure(fn: FunctionConfig, url: PortableUrlConfig): void {
  functionName = fn.name;
  if (runtime) runtime.reload(fn);
  else
    runtime = createFunctionRuntime(fn, {
      log: tappedLogger(log.child("lambda"), tapRuntimeLine),
      onInvocation: (record) => pendingActivity(functionName).invocations.push(record),
    });
  const hosts = url.acceptedHosts;
  handler = createFunctionUrl({ ...url, acceptedHosts: () => hosts }, runtime, {
    log: log.child("function-url"),
  }).handler;
}

void listen(
  (req, res) => {
    Atomics.add(requestCount, 0, 1);
    return handler(req, res);
  },
  data.port,
  "functionUrl",
  { host: data.host, log: log.child("function-url") },
).then(serve, (error: Error & { port?: number; service?: string }) => {
  port.postMessage({
    type: "failed",
    error: { name: error.name, message: error.message, port: error.port, service: error.service },
  } satisfies ServiceReply);
});

function serve(listening: Listening): void {
  port.on("message", async (message: ServiceRequest) => {
    const reply = (body: Unnumbered<Extract<ServiceReply, { id: number }>>) =>
      port.postMessage({ ...body, id: message.id } as ServiceReply);
    try {
      switch (message.type) {
        case "configure":
          configure(message.function, message.url);
          reply({ type: "done" });
          break;
        case "invocations":
          reply({ type: "invocations", invocations: runtime?.recentInvocations() ?? [] });
          break;
        case "invoke":
          if (!runtime) throw new Error("The function is not configured yet");
          reply({ type: "invoked", result: await runtime.invoke(message.event) });
          break;
        case "close":
          await runtime?.close();
          await listening.close();
          flushLogs();
          flushActivity();
          reply({ type: "done" });
          break;
      }
    } catch (error) {
      reply({ type: "error", error: { name: (error as Error).name, message: (error as Error).message } });
    }
  });
  port.postMessage({ type: "listening", port: listening.port } satisfies ServiceReply);
}
