// What the function runtime did, as the kit's console sees it: invocation records and the function's log
// lines, taken from the runtime's log stream and invocation list (never from its instances).
import type { Logger, LogLevel } from "../shared/log.js";
import type { InstanceCounts, InvocationRecord } from "./runtime.js";

/** One line of a function's log, as CloudWatch Logs would hold it. */
export interface FunctionLogLine {
  /** ISO time the kit saw the line. */
  time: string;
  functionName: string;
  /** The invocation the line belongs to, when it names one. */
  requestId?: string;
  /** The function's console level (INFO, WARN, ERROR, ...) or the runtime's own (REPORT, ERROR). */
  level: string;
  text: string;
}

/** A batch of activity, sent once per event-loop turn. */
export interface FunctionActivity {
  functionName: string;
  invocations: InvocationRecord[];
  logs: FunctionLogLine[];
  instances: InstanceCounts;
}

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REPORT_ID = /RequestId: (\S+)/;

/**
 * Reads one line the runtime logged: the function's own lines are `<request id> <LEVEL> <text>`, its REPORT
 * lines name the request id, and its notices (init failed, invoke error) start with the request id.
 */
export function parseRuntimeLine(
  functionName: string,
  level: LogLevel,
  msg: string,
  time: string,
): FunctionLogLine {
  if (msg.startsWith("REPORT ")) {
    const id = REPORT_ID.exec(msg)?.[1];
    return { time, functionName, ...(id ? { requestId: id } : {}), level: "REPORT", text: msg };
  }
  const space = msg.indexOf(" ");
  const first = space > 0 ? msg.slice(0, space) : "";
  if (!REQUEST_ID.test(first) && first !== "-") {
    return { time, functionName, level: level.toUpperCase(), text: msg };
  }
  const rest = msg.slice(space + 1);
  const next = rest.indexOf(" ");
  const word = next > 0 ? rest.slice(0, next) : "";
  const isFunctionLine = /^[A-Z]+$/.test(word) && word !== "Init" && word !== "Invoke";
  return {
    time,
    functionName,
    ...(first !== "-" ? { requestId: first } : {}),
    level: isFunctionLine ? word : level.toUpperCase(),
    text: isFunctionLine ? rest.slice(next + 1) : rest,
  };
}

/**
 * A logger that writes to `inner` and also hands every line to `tap`, with the child scopes below it (the
 * runtime logs under a child named after its function).
 */
export function tappedLogger(
  inner: Logger,
  tap: (scope: string[], level: LogLevel, msg: string) => void,
  scope: string[] = [],
): Logger {
  const at =
    (level: LogLevel) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      inner[level](msg, fields);
      tap(scope, level, msg);
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (child) => tappedLogger(inner.child(child), tap, [...scope, child]),
  };
}
