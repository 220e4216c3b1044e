// The console: four views over the running kit, kept live by the server's event stream.
import { useEffect, useState } from "react";
import { openStream } from "./api.js";
import { CognitoPanel } from "./CognitoPanel.js";
import { DeploymentPanel } from "./DeploymentPanel.js";
import { FunctionsPanel } from "./FunctionsPanel.js";
import { applyBatch, applyCognito, applyState, fromSnapshot, type PageModel } from "./model.js";
import { RequestsPanel } from "./RequestsPanel.js";

const VIEWS = [
  { id: "requests", label: "Requests" },
  { id: "functions", label: "Functions" },
  { id: "cognito", label: "Cognito" },
  { id: "deployment", label: "Deployment" },
] as const;
type View = (typeof VIEWS)[number]["id"];

const viewOf = (hash: string): View => VIEWS.find((v) => `#${v.id}` === hash)?.id ?? "requests";

export function App() {
  const [model, setModel] = useState<PageModel | undefined>();
  const [connected, setConnected] = useState(false);
  const [view, setView] = useState<View>(() => viewOf(window.location.hash));

  useEffect(
    () =>
      openStream({
        snapshot: (s) => setModel(fromSnapshot(s)),
        batch: (b) => setModel((m) => (m ? applyBatch(m, b) : m)),
        cognito: (c) => setModel((m) => (m ? applyCognito(m, c) : m)),
        state: (s) => setModel((m) => (m ? applyState(m, s) : m)),
        connected: setConnected,
      }),
    [],
  );
  useEffect(() => {
    const onHash = () => setView(viewOf(window.location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  return (
    <div className="shell">
      <header className="top">
        <h1>furl-kit console</h1>
        <span className="stack">
          {model ? `${model.deployment.stackName} · ${model.deployment.region}` : ""}
        </span>
        <div role="tablist" aria-label="Views" className="tabs">
          {VIEWS.map((v) => (
            <a
              key={v.id}
              role="tab"
              href={`#${v.id}`}
              aria-selected={view === v.id}
              className={view === v.id ? "tab active" : "tab"}
            >
              {v.label}
            </a>
          ))}
        </div>
        <output className={connected ? "live on" : "live"} aria-label="Live updates">
          {connected ? "live" : "connecting…"}
        </output>
      </header>
      <main>
        {!model ? (
          <p className="muted">Waiting for the kit…</p>
        ) : view === "requests" ? (
          <RequestsPanel model={model} />
        ) : view === "functions" ? (
          <FunctionsPanel model={model} />
        ) : view === "cognito" ? (
          <CognitoPanel cognito={model.cognito} />
        ) : (
          <DeploymentPanel deployment={model.deployment} />
        )}
      </main>
    </div>
  );
}
