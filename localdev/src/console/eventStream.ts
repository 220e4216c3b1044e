// Server-Sent Events to the open console pages: history events coalesced into one message per interval, so a
// load test through the kit sends a few messages a second, not one per request.
import type { ServerResponse } from "node:http";
import type { EdgeRequestRecord } from "../edge/index.js";
import type { FunctionLogLine } from "../lambda/activity.js";
import type { InstanceCounts } from "../lambda/index.js";
import type { ConsoleHistory, ConsoleInvocation, HistoryEvent } from "./history.js";

/** One coalesced message: what arrived since the last one. */
export interface HistoryBatch {
  requests: EdgeRequestRecord[];
  invocations: ConsoleInvocation[];
  logs: FunctionLogLine[];
  instances: Record<string, InstanceCounts>;
}

const FLUSH_MS = 200;
// A page that stops reading (a background tab, a stalled socket) is dropped past this; it reconnects and
// starts from a fresh snapshot.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_CLIENTS = 32;
const KEEPALIVE_MS = 25_000;

export interface EventStream {
  /** Takes over `res` as an event stream; `first` is sent at once (the page's starting state). */
  attach(res: ServerResponse, first: { event: string; data: unknown }): boolean;
  /** Sends `data` to every page now (e.g. Cognito's users after a change). */
  broadcast(event: string, data: unknown): void;
  clients(): number;
  close(): void;
}

export function createEventStream(
  history: ConsoleHistory,
  serialize: (value: unknown) => string,
): EventStream {
  const clients = new Set<ServerResponse>();
  let pending: HistoryBatch | undefined;
  let timer: NodeJS.Timeout | undefined;
  const { requests: maxRequests, logLines: maxLogs } = history.limits;

  const write = (res: ServerResponse, text: string) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      detach(res);
      res.destroy();
      return;
    }
    res.write(text);
  };
  const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${serialize(data)}\n\n`;
  const broadcast = (event: string, data: unknown) => {
    if (!clients.size) return;
    const text = frame(event, data);
    for (const res of clients) write(res, text);
  };

  const flush = () => {
    timer = undefined;
    const batch = pending;
    pending = undefined;
    if (!batch) return;
    // More arrived than the history keeps: the page would drop the rest anyway.
    batch.requests = batch.requests.slice(-maxRequests);
    batch.invocations = batch.invocations.slice(-maxRequests);
    batch.logs = batch.logs.slice(-maxLogs);
    broadcast("batch", batch);
  };

  // Subscribed only while a page is open, so a kit nobody watches pays nothing per request for the stream.
  let unsubscribe: (() => void) | undefined;
  const onEvent = (event: HistoryEvent) => {
    pending ??= { requests: [], invocations: [], logs: [], instances: {} };
    if (event.kind === "request") pending.requests.push(event.request);
    else if (event.kind === "invocation") pending.invocations.push(event.invocation);
    else if (event.kind === "log") pending.logs.push(event.line);
    else pending.instances[event.functionName] = event.instances;
    timer ??= setTimeout(flush, FLUSH_MS);
  };
  const detach = (res: ServerResponse) => {
    clients.delete(res);
    if (clients.size || !unsubscribe) return;
    unsubscribe();
    unsubscribe = undefined;
  };
  const keepalive = setInterval(() => {
    for (const res of clients) write(res, ": keep-alive\n\n");
  }, KEEPALIVE_MS);
  keepalive.unref();

  return {
    attach(res, first) {
      if (clients.size >= MAX_CLIENTS) return false;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        connection: "keep-alive",
      });
      res.write(`retry: 1000\n${frame(first.event, first.data)}`);
      clients.add(res);
      unsubscribe ??= history.subscribe(onEvent);
      res.on("close", () => detach(res));
      return true;
    },
    broadcast,
    clients: () => clients.size,
    close() {
      unsubscribe?.();
      clearInterval(keepalive);
      if (timer) clearTimeout(timer);
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
