// The page's state: what the server's snapshot and event batches say, bounded like the kit's own history.
import type {
  CognitoView,
  ConsoleInvocation,
  ConsoleState,
  EdgeRequestRecord,
  FunctionLogLine,
  HistoryBatch,
  HistoryLimits,
  InstanceCounts,
  Snapshot,
} from "./types.js";

export interface PageModel extends ConsoleState {
  /** Oldest first. */
  requests: EdgeRequestRecord[];
  invocations: Map<string, ConsoleInvocation>;
  /** Oldest first. */
  logs: FunctionLogLine[];
  instances: Record<string, InstanceCounts>;
  limits: HistoryLimits;
}

export function fromSnapshot(s: Snapshot): PageModel {
  return {
    functions: s.functions,
    cognito: s.cognito,
    deployment: s.deployment,
    waf: s.waf,
    limits: s.limits,
    requests: s.history.requests,
    invocations: new Map(s.history.invocations.map((i) => [i.requestId, i])),
    logs: s.history.logs,
    instances: s.history.instances,
  };
}

export function applyBatch(m: PageModel, b: HistoryBatch): PageModel {
  const invocations = new Map(m.invocations);
  for (const i of b.invocations) invocations.set(i.requestId, i);
  // Map keeps insertion order: the oldest go first.
  for (const key of invocations.keys()) {
    if (invocations.size <= m.limits.requests) break;
    invocations.delete(key);
  }
  return {
    ...m,
    requests: [...m.requests, ...b.requests].slice(-m.limits.requests),
    invocations,
    logs: [...m.logs, ...b.logs].slice(-m.limits.logLines),
    instances: { ...m.instances, ...b.instances },
  };
}

export function applyCognito(m: PageModel, cognito: CognitoView): PageModel {
  return { ...m, cognito };
}

export function applyState(m: PageModel, s: ConsoleState): PageModel {
  return { ...m, ...s };
}

export interface RequestFilter {
  blockedOnly: boolean;
  errorsOnly: boolean;
  path: string;
}

export const isBlocked = (r: EdgeRequestRecord) => r.waf?.action === "BLOCK";

export const isError = (r: EdgeRequestRecord, invocation?: ConsoleInvocation) =>
  r.status === 0 ||
  r.status >= 500 ||
  (r.originStatus ?? 0) >= 500 ||
  (invocation !== undefined && invocation.status !== "success");

/** The rows to show, newest first. */
export function visibleRequests(m: PageModel, f: RequestFilter): EdgeRequestRecord[] {
  const path = f.path.trim();
  const out: EdgeRequestRecord[] = [];
  for (let i = m.requests.length - 1; i >= 0; i--) {
    const r = m.requests[i]!;
    if (f.blockedOnly && !isBlocked(r)) continue;
    if (f.errorsOnly && !isError(r, r.originRequestId ? m.invocations.get(r.originRequestId) : undefined))
      continue;
    if (path && !r.path.includes(path)) continue;
    out.push(r);
  }
  return out;
}

export function logsOf(m: PageModel, requestId: string): FunctionLogLine[] {
  return m.logs.filter((l) => l.requestId === requestId);
}
