// Messages between the kit's main thread and the Function URL service's thread.
import type { LogLevel } from "../shared/log.js";
import type { FunctionActivity } from "./activity.js";
import type { FunctionConfig } from "./config.js";
import type { InvocationRecord, InvokeResult } from "./runtime.js";
import type { FunctionUrlConfig } from "./urlConfig.js";

export interface UrlServiceWorkerData {
  port: number;
  host?: string;
  /** One Int32 the thread increments per request, so the main thread reads the count without a message. */
  requestCounter: SharedArrayBuffer;
  /** When the kit logs to stderr: the thread writes its lines there itself, else it forwards them. */
  stderr?: { scope: string; level: LogLevel };
}

/** A Function URL's settings as they cross threads: the accepted hosts as a list, not a function. */
export type PortableUrlConfig = Omit<FunctionUrlConfig, "acceptedHosts"> & { acceptedHosts: string[] };

export interface ForwardedLogLine {
  /** Child scopes below the service's logger, e.g. ["lambda", "<function name>"]. */
  scope: string[];
  level: LogLevel;
  msg: string;
  fields?: Record<string, unknown>;
}

export interface PortableError {
  name: string;
  message: string;
  port?: number;
  service?: string;
}

export type ServiceRequest =
  | { id: number; type: "configure"; function: FunctionConfig; url: PortableUrlConfig }
  | { id: number; type: "invocations" }
  | { id: number; type: "invoke"; event: unknown }
  | { id: number; type: "close" };

export type ServiceReply =
  | { type: "listening"; port: number }
  | { type: "failed"; error: PortableError }
  | { type: "logs"; lines: ForwardedLogLine[] }
  | { type: "stderr"; bytes: Uint8Array }
  | { type: "activity"; activity: FunctionActivity }
  | { id: number; type: "invoked"; result: InvokeResult }
  | { id: number; type: "done" }
  | { id: number; type: "invocations"; invocations: InvocationRecord[] }
  | { id: number; type: "error"; error: PortableError };

/** A message before the sender numbers it (Omit applied to each member of the union). */
export type Unnumbered<T> = T extends unknown ? Omit<T, "id"> : never;
