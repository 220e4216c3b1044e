// Small pieces the views share: times, durations, log lines, JSON.
import type { FunctionLogLine } from "./types.js";

export const clock = (iso: string) => {
  const d = new Date(iso);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
};

export const ms = (value: number | undefined) => (value === undefined ? "—" : `${value.toFixed(2)} ms`);

export function LogLines({ lines, label }: { lines: FunctionLogLine[]; label: string }) {
  if (!lines.length) return <p className="muted">No log lines (yet).</p>;
  return (
    <ol className="logs" aria-label={label}>
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no id; the list only grows at the end
        <li key={`${l.time}-${i}`} className={`log ${l.level.toLowerCase()}`}>
          <time>{clock(l.time)}</time>
          <span className="level">{l.level}</span>
          <span className="text">{l.text}</span>
        </li>
      ))}
    </ol>
  );
}

export const Json = ({ value, label }: { value: unknown; label: string }) => (
  <section aria-label={label}>
    <pre className="json">{JSON.stringify(value, null, 2)}</pre>
  </section>
);
