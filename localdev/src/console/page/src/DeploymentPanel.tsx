// Deployment: the stack's resources and what the kit does with each, the endpoints, and the SDK settings.
import { useState } from "react";
import type { DeploymentView } from "./types.js";

export function DeploymentPanel({ deployment: d }: { deployment: DeploymentView }) {
  const settings = d.sdkSettings.map((s) => `export ${s.name}=${s.value}`).join("\n");
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(settings).catch(() => {});
    setCopied(true);
  };
  return (
    <section aria-label="Deployment">
      <article className="card">
        <h2>Point your AWS SDK and CLI at the kit</h2>
        <section aria-label="SDK settings">
          <pre className="json">{settings}</pre>
        </section>
        <button type="button" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </button>
        <p className="muted">
          The access key is a placeholder: the kit checks no signatures. Lambda, CloudFront and WAF have no
          API endpoint in the kit.
        </p>
      </article>
      <article className="card">
        <h2>Endpoints</h2>
        <table aria-label="Endpoints">
          <tbody>
            {d.endpoints.map((e) => (
              <tr key={e.name}>
                <th>{e.name}</th>
                <td className="mono">
                  {/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(e.url) ? <a href={e.url}>{e.url}</a> : e.url}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
      <article className="card">
        <h2>
          Resources of {d.stackName} <span className="muted">({d.templateFile})</span>
        </h2>
        <table aria-label="Resources">
          <thead>
            <tr>
              <th>Logical id</th>
              <th>Type</th>
              <th>Locally</th>
              <th>How</th>
            </tr>
          </thead>
          <tbody>
            {d.resources.map((r) => (
              <tr key={r.logicalId}>
                <td className="mono">{r.logicalId}</td>
                <td>{r.type}</td>
                <td>
                  <span className={`badge ${r.treatment === "emulated" ? "ok" : "warn"}`}>{r.treatment}</span>
                </td>
                <td>{r.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {d.notEmulated.length > 0 && (
          <>
            <h3>Not emulated</h3>
            <ul>
              {d.notEmulated.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </>
        )}
      </article>
      <article className="card">
        <h2>SSM parameters</h2>
        <table aria-label="Parameters">
          <tbody>
            {d.parameters.map((p) => (
              <tr key={p.name}>
                <th className="mono">{p.name}</th>
                <td>{p.type}</td>
                <td className="mono">{p.value ?? "(SecureString, not shown)"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
    </section>
  );
}
