// One Lambda execution environment: imports the handler module once (cold start), then serves invocations.
// Plain JavaScript on purpose: a worker thread runs it without any TypeScript loader, as Lambda runs the asset.
import { existsSync } from "node:fs";
import { register } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";

// The Node.js runtime provides the AWS SDK v3, so bundles leave it out; provide the kit's copy the same way.
register("./providedSdk.mjs", import.meta.url);

// The function targets Lambda's Node.js 22 runtime but runs here on the machine's Node; the AWS SDK's notice
// about that Node version concerns the kit, not the function, so it is not printed as the function's error.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning).startsWith("NodeVersionSupportWarning")) return;
  emitWarning(warning, ...rest);
};

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
  parentPort.postMessage({ type: "logs", lines: pendingLogs });
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
  const { codeDir, handler, generation } = workerData;
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
    // The query string makes a reload import the new file even if a loader cached the old URL.
    module = await import(`${pathToFileURL(file).href}?furl-kit-generation=${generation}`);
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

function memoryUsedBytes() {
  const stats = getHeapStatistics();
  peakMemoryBytes = Math.max(peakMemoryBytes, stats.total_heap_size + (stats.external_memory ?? 0));
  return peakMemoryBytes;
}

function contextFor(message) {
  const deadline = Date.now() + message.timeoutMs;
  return {
    awsRequestId: message.requestId,
    functionName: workerData.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: workerData.invokedFunctionArn,
    memoryLimitInMB: String(workerData.memorySizeMb),
    logGroupName: workerData.logGroupName,
    logStreamName: workerData.logStreamName,
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
  parentPort.postMessage({
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
  parentPort.postMessage({ type: "initError", ...describeError(error) });
}
if (handlerFn) {
  parentPort.on("message", (message) => {
    if (message?.type === "invoke") void serve(message, handlerFn);
  });
  flushLogs();
  parentPort.postMessage({ type: "ready", memoryUsedBytes: memoryUsedBytes() });
}
