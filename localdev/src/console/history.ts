// The console's memory: the last N viewer requests, invocations and function log lines, whatever the load.
import type { EdgeRequestRecord } from "../edge/index.js";
import type { FunctionActivity, FunctionLogLine } from "../lambda/activity.js";
import type { InstanceCounts, InvocationRecord } from "../lambda/index.js";

export interface HistoryLimits {
  /** Viewer requests kept (and as many invocations). */
  requests: number;
  /** Function log lines kept, over all functions. */
  logLines: number;
}

export const DEFAULT_HISTORY: HistoryLimits = { requests: 500, logLines: 2000 };

/** An invocation with the function it ran. */
export interface ConsoleInvocation extends InvocationRecord {
  functionName: string;
}

/** A fixed-size ring, oldest overwritten first. */
export class Ring<T> {
  private readonly items: Array<T | undefined>;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array(capacity);
  }

  /** Adds `item`; returns the item it displaced, if the ring was full. */
  push(item: T): T | undefined {
    const displaced = this.count === this.capacity ? this.items[this.next] : undefined;
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    return displaced;
  }

  get size(): number {
    return this.count;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = this.count; i >= 1; i--)
      out.push(this.items[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }
}

export type HistoryEvent =
  | { kind: "request"; request: EdgeRequestRecord }
  | { kind: "invocation"; invocation: ConsoleInvocation }
  | { kind: "log"; line: FunctionLogLine }
  | { kind: "instances"; functionName: string; instances: InstanceCounts };

/** Keeps what the edge and the runtime report, bounded by `limits`, and tells listeners as it arrives. */
export class ConsoleHistory {
  private readonly requests: Ring<EdgeRequestRecord>;
  private readonly invocations: Ring<ConsoleInvocation>;
  private readonly logs: Ring<FunctionLogLine>;
  private readonly instances = new Map<string, InstanceCounts>();
  private readonly listeners = new Set<(event: HistoryEvent) => void>();

  constructor(readonly limits: HistoryLimits = DEFAULT_HISTORY) {
    if (!(limits.requests >= 1 && limits.logLines >= 1))
      throw new Error("The console's history needs room for at least one request and one log line");
    this.requests = new Ring(limits.requests);
    this.invocations = new Ring(limits.requests);
    this.logs = new Ring(limits.logLines);
  }

  // Called for every request and invocation the kit serves: no allocation beyond the record itself unless a
  // console page is listening.
  addRequest(request: EdgeRequestRecord): void {
    this.requests.push(request);
    if (this.listeners.size) this.emit({ kind: "request", request });
  }

  /** Takes the batch's records as they are (they arrive copied from the Function URL's thread). */
  addActivity(activity: FunctionActivity): void {
    const listening = this.listeners.size > 0;
    for (const record of activity.invocations) {
      const invocation = record as ConsoleInvocation;
      invocation.functionName = activity.functionName;
      this.invocations.push(invocation);
      if (listening) this.emit({ kind: "invocation", invocation });
    }
    for (const line of activity.logs) {
      this.logs.push(line);
      if (listening) this.emit({ kind: "log", line });
    }
    this.instances.set(activity.functionName, activity.instances);
    if (listening)
      this.emit({ kind: "instances", functionName: activity.functionName, instances: activity.instances });
  }

  setInstances(functionName: string, instances: InstanceCounts): void {
    this.instances.set(functionName, instances);
  }

  /** Everything kept, oldest first. */
  snapshot(): {
    requests: EdgeRequestRecord[];
    invocations: ConsoleInvocation[];
    logs: FunctionLogLine[];
    instances: Record<string, InstanceCounts>;
  } {
    return {
      requests: this.requests.toArray(),
      invocations: this.invocations.toArray(),
      logs: this.logs.toArray(),
      instances: Object.fromEntries(this.instances),
    };
  }

  subscribe(listener: (event: HistoryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: HistoryEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
