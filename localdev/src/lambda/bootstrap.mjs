// One Lambda execution environment, a process of the runtime's Node: imports the handler module once (cold
// start), then serves invocations sent by the kit over the IPC channel. Plain JavaScript on purpose: it runs
// without any TypeScript loader, as Lambda runs the asset.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { routeAwsHosts } from "./awsHostRouting.mjs";
import { provideAwsSdk } from "./providedSdk.mjs";
import { scopeModuleFormatTo } from "./taskRootFormat.mjs";

/** Set by the kit: code folder, handler, names for the context (see instance.ts). */
const instanceData = JSON.parse(process.argv[2] ?? "{}");
const send = (message) => process.send?.(message);
// The kit went away (stopped, crashed): an environment has nothing left to serve.
process.on("disconnect", () => process.exit(0));

// The Node.js runtime provides the AWS SDK v3, so bundles leave it out; provide the kit's copy the same way.
provideAwsSdk();
const isCommonJs = scopeModuleFormatTo(instanceData.codeDir);
routeAwsHosts(instanceData.hostRouting);

const MODULE_EXTENSIONS = [".mjs", ".js", ".cjs"];
const CONSOLE_LEVELS = {
  log: "INFO",
  info: "INFO",
  warn: "WARN",
  error: "ERROR",
  debug: "DEBUG",
  trace: "TRACE",
};

let currentRequestId;
let peakMemoryBytes = 0;

// Lambda captures console output per request; here it goes to the kit's log through the parent. Lines wait
// for the end of the current turn: a quick invocation sends them with its result (one message, not two),
// a longer one sends them as soon as it yields, so nothing is held back while the handler waits.
let pendingLogs = [];
let flushScheduled = false;
function flushLogs() {
  flushScheduled = false;
  if (!pendingLogs.length) return;
  send({ type: "logs", lines: pendingLogs });
  pendingLogs = [];
}
function takeLogs() {
  const lines = pendingLogs;
  pendingLogs = [];
  return lines;
}
for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
  console[method] = (...args) => {
    pendingLogs.push({ level, requestId: currentRequestId, text: format(...args) });
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushLogs);
    }
  };
}

function namedError(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

async function loadHandler() {
  const { codeDir, handler } = instanceData;
  const dot = handler.lastIndexOf(".");
  if (dot <= 0 || dot === handler.length - 1) {
    throw namedError("Runtime.MalformedHandlerName", `Bad handler ${handler}: expected <file>.<export>`);
  }
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const file = MODULE_EXTENSIONS.map((ext) => join(codeDir, modulePath + ext)).find((f) => existsSync(f));
  if (!file) {
    throw namedError("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}' in ${codeDir}`);
  }
  let module;
  try {
    module = isCommonJs(file) ? createRequire(file)(file) : await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError)
      throw namedError("Runtime.UserCodeSyntaxError", `SyntaxError: ${error.message}`);
    throw error;
  }
  const fn = module[exportName] ?? module.default?.[exportName];
  if (typeof fn !== "function") {
    throw namedError("Runtime.HandlerNotFound", `${handler} is undefined or not exported`);
  }
  return fn;
}

function callHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error ? reject(error) : resolve(result));
    let returned;
    try {
      returned = fn(event, context, callback);
    } catch (error) {
      reject(error);
      return;
    }
    if (returned && typeof returned.then === "function") returned.then(resolve, reject);
    else if (fn.length < 3) resolve(returned);
  });
}

function describeError(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || "Error",
      errorMessage: error.message,
      stack: String(error.stack ?? "")
        .split("\n")
        .slice(1)
        .map((line) => line.trim())
        .filter(Boolean),
    };
  }
  return { errorType: "Error", errorMessage: String(error), stack: [] };
}

// The process's resident set, as Lambda's "Max Memory Used" measures the environment. Reading it is a system
// call, so a warm invocation takes a fresh reading at most every 100 ms.
const MEMORY_SAMPLE_MS = 100;
let lastSampleAt = Number.NEGATIVE_INFINITY;
function memoryUsedBytes() {
  const now = performance.now();
  if (now - lastSampleAt >= MEMORY_SAMPLE_MS) {
    lastSampleAt = now;
    peakMemoryBytes = Math.max(peakMemoryBytes, process.memoryUsage.rss());
  }
  return peakMemoryBytes;
}

function contextFor(message) {
  const deadline = Date.now() + message.timeoutMs;
  return {
    awsRequestId: message.requestId,
    functionName: instanceData.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: instanceData.invokedFunctionArn,
    memoryLimitInMB: String(instanceData.memorySizeMb),
    logGroupName: instanceData.logGroupName,
    logStreamName: instanceData.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    succeed() {},
    fail() {},
  };
}

async function serve(message, handlerFn) {
  currentRequestId = message.requestId;
  const started = performance.now();
  let outcome;
  try {
    const result = await callHandler(handlerFn, JSON.parse(message.eventJson), contextFor(message));
    try {
      outcome = { ok: true, payloadJson: JSON.stringify(result === undefined ? null : result) };
    } catch (error) {
      outcome = { ok: false, ...describeError(error), errorType: "Runtime.MarshalError" };
    }
  } catch (error) {
    outcome = { ok: false, ...describeError(error) };
  }
  send({
    type: "result",
    logs: takeLogs(),
    requestId: message.requestId,
    durationMs: performance.now() - started,
    memoryUsedBytes: memoryUsedBytes(),
    ...outcome,
  });
}

let handlerFn;
try {
  handlerFn = await loadHandler();
} catch (error) {
  flushLogs();
  send({ type: "initError", ...describeError(error) });
}
if (handlerFn) {
  process.on("message", (message) => {
    if (message?.type === "invoke") void serve(message, handlerFn);
  });
  flushLogs();
  send({ type: "ready", memoryUsedBytes: memoryUsedBytes() });
}
