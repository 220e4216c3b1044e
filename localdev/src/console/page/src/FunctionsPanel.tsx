// Functions: settings, instances, a live tail of the log, and an invoke form (as `aws lambda invoke`).
import { useState } from "react";
import { action } from "./api.js";
import { Json, LogLines, ms } from "./common.js";
import { logsOf, type PageModel } from "./model.js";
import type { FunctionView } from "./types.js";

const TAIL = 200;

export function FunctionsPanel({ model }: { model: PageModel }) {
  return (
    <section aria-label="Functions">
      {model.functions.map((f) => (
        <FunctionCard key={f.name} f={f} model={model} />
      ))}
    </section>
  );
}

type InvokeAnswer =
  | {
      ok: true;
      payload: unknown;
      durationMs: number;
      initDurationMs?: number;
      requestId: string;
      cold: boolean;
    }
  | { ok: false; errorType: string; errorMessage: string; status: number; requestId: string };

function FunctionCard({ f, model }: { f: FunctionView; model: PageModel }) {
  const instances = model.instances[f.name] ?? { warm: 0, busy: 0 };
  const tail = model.logs.filter((l) => l.functionName === f.name).slice(-TAIL);
  const [event, setEvent] = useState("{}");
  const [answer, setAnswer] = useState<InvokeAnswer | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const invoke = async () => {
    setProblem(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(event);
    } catch (error) {
      setProblem(`The event is not JSON: ${(error as Error).message}`);
      return;
    }
    setBusy(true);
    try {
      const { result } = await action<{ result: InvokeAnswer }>("invoke", {
        functionName: f.name,
        event: parsed,
      });
      setAnswer(result);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card" aria-label={`Function ${f.name}`}>
      <h2>{f.name}</h2>
      <dl className="facts">
        <dt>Runtime</dt>
        <dd>{f.runtime}</dd>
        <dt>Handler</dt>
        <dd className="mono">{f.handler}</dd>
        <dt>Memory</dt>
        <dd>{f.memoryMb} MB</dd>
        <dt>Timeout</dt>
        <dd>{f.timeoutSeconds} s</dd>
        <dt>Instances</dt>
        <dd>
          <output aria-label="Instances">
            {instances.warm} warm · {instances.busy} busy
            {f.maxConcurrency !== undefined ? ` (at most ${f.maxConcurrency})` : ""}
          </output>
        </dd>
      </dl>
      <div className="grid">
        <div>
          <h3>Invoke</h3>
          <label className="stacked">
            Event (JSON)
            <textarea rows={8} value={event} spellCheck={false} onChange={(e) => setEvent(e.target.value)} />
          </label>
          <button type="button" className="primary" onClick={invoke} disabled={busy}>
            {busy ? "Invoking…" : "Invoke"}
          </button>
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
          {answer && (
            <section className="answer" aria-label="Invoke result">
              <p>
                <span className={`badge ${answer.ok ? "ok" : "bad"}`}>
                  {answer.ok ? "Invocation succeeded" : "Invocation failed"}
                </span>{" "}
                <span className="mono">{answer.requestId}</span>
                {answer.ok &&
                  ` · ${answer.cold ? `cold (init ${ms(answer.initDurationMs)})` : "warm"} · ${ms(answer.durationMs)}`}
              </p>
              {answer.ok ? (
                <Json value={answer.payload} label="Payload" />
              ) : (
                <Json
                  value={{ errorType: answer.errorType, errorMessage: answer.errorMessage }}
                  label="Payload"
                />
              )}
              <LogLines lines={logsOf(model, answer.requestId)} label="Invoke log lines" />
            </section>
          )}
        </div>
        <div>
          <h3>Log (live, last {TAIL})</h3>
          <LogLines lines={tail} label={`Log of ${f.name}`} />
        </div>
      </div>
    </article>
  );
}
