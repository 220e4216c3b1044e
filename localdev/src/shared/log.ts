// The kit's logger: one line per event, readable in a terminal, never carrying secrets.

import { writeSync } from "node:fs";

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
  /** Set on loggers that write to stderr: another thread may write the same lines to fd 2 itself. */
  readonly stderr?: { scope: string; level: LogLevel };
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Field names whose values are never printed, whatever service logs them.
const SECRET_FIELD = /secret|password|token|authorization|cookie|code_verifier|^code$/i;

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = SECRET_FIELD.test(key) ? "[redacted]" : value;
  }
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; defaults to stderr. Tests pass an array sink. */
  write?: (line: string) => void;
}

/**
 * Writes lines to stderr in batches: under load every invocation logs (its own lines and REPORT), and one
 * write per event-loop turn costs far less than one per line. Pending lines are flushed at exit.
 */
function createBufferedStderr(): (line: string) => void {
  const batch = lineBatch((text) => process.stderr.write(text));
  process.on("exit", batch.flush);
  return batch.push;
}

/** Collects lines and hands them to `write` as one text per event-loop turn. */
function lineBatch(write: (text: string) => void): { push(line: string): void; flush(): void } {
  let pending: string[] = [];
  const flush = () => {
    if (!pending.length) return;
    const text = `${pending.join("\n")}\n`;
    pending = [];
    write(text);
  };
  return {
    push(line) {
      if (!pending.length) setImmediate(flush);
      pending.push(line);
    },
    flush,
  };
}

let bufferedStderr: ((line: string) => void) | undefined;

export function createLogger(scope = "furl-kit", options: LoggerOptions = {}): Logger {
  const levelName = options.level ?? (process.env.FURL_LOG_LEVEL as LogLevel | undefined) ?? "info";
  const min = ORDER[levelName] ?? ORDER.info;
  bufferedStderr ??= createBufferedStderr();
  const write = options.write ?? bufferedStderr;
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(redact(fields))}` : "";
    write(`[${scope}] ${level === "info" ? "" : `${level.toUpperCase()} `}${msg}${extra}`);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (child) => createLogger(`${scope}:${child}`, { ...options, level: options.level }),
    ...(options.write ? {} : { stderr: { scope, level: ORDER[levelName] ? levelName : "info" } }),
  };
}

/**
 * A stderr logger for a worker thread, where `process.stderr` goes through the main thread: lines are
 * written to fd 2 directly, batched per event-loop turn. A pipe that is full (EAGAIN) hands the rest to
 * `overflow`, which the main thread writes with backpressure.
 */
export function createThreadStderrLogger(
  target: { scope: string; level: LogLevel },
  overflow: (bytes: Uint8Array) => void,
): Logger {
  const batch = lineBatch((text) => {
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(2, bytes, written);
    } catch {
      overflow(bytes.subarray(written));
    }
  });
  return createLogger(target.scope, { level: target.level, write: batch.push });
}

/** A logger that drops everything; the default in tests. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
