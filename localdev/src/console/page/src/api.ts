// The console server's API as the page calls it: one event stream in, JSON actions out.
import type { CognitoView, ConsoleState, HistoryBatch, Snapshot } from "./types.js";

export const API = "/console/api";

export interface StreamHandlers {
  snapshot(s: Snapshot): void;
  batch(b: HistoryBatch): void;
  cognito(c: CognitoView): void;
  state(s: ConsoleState): void;
  connected(open: boolean): void;
}

/** Opens the event stream; EventSource reconnects by itself, and each reconnection starts with a snapshot. */
export function openStream(h: StreamHandlers): () => void {
  const source = new EventSource(`${API}/events`);
  const on = <T>(name: string, handle: (value: T) => void) =>
    source.addEventListener(name, (e) => handle(JSON.parse((e as MessageEvent<string>).data) as T));
  on("snapshot", h.snapshot);
  on("batch", h.batch);
  on("cognito", h.cognito);
  on("state", h.state);
  source.onopen = () => h.connected(true);
  source.onerror = () => h.connected(false);
  return () => source.close();
}

export class ActionError extends Error {}

/** POSTs a console action; the server's message becomes the error's. */
export async function action<T = unknown>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${API}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new ActionError(answer.message ?? `The console answered ${res.status}`);
  return answer as T;
}
