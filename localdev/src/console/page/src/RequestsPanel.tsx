// Requests: one row per viewer request through CloudFront, newest first, with WAF, origin and invocation.
import { useState } from "react";
import { clock, Json, LogLines, ms } from "./common.js";
import { isBlocked, isError, logsOf, type PageModel, type RequestFilter, visibleRequests } from "./model.js";
import type { EdgeRequestRecord, WafView } from "./types.js";

export function RequestsPanel({ model }: { model: PageModel }) {
  const [filter, setFilter] = useState<RequestFilter>({ blockedOnly: false, errorsOnly: false, path: "" });
  const [open, setOpen] = useState<string | undefined>();
  const [rule, setRule] = useState<string | undefined>();
  const rows = visibleRequests(model, filter);

  return (
    <section aria-label="Requests">
      <div className="toolbar">
        <label>
          <input
            type="checkbox"
            checked={filter.blockedOnly}
            onChange={(e) => setFilter({ ...filter, blockedOnly: e.target.checked })}
          />
          Blocked only
        </label>
        <label>
          <input
            type="checkbox"
            checked={filter.errorsOnly}
            onChange={(e) => setFilter({ ...filter, errorsOnly: e.target.checked })}
          />
          Errors only
        </label>
        <label>
          Path
          <input
            type="search"
            placeholder="/"
            value={filter.path}
            onChange={(e) => setFilter({ ...filter, path: e.target.value })}
          />
        </label>
        <span className="muted">
          {rows.length} of {model.requests.length} shown · the kit keeps the last {model.limits.requests}
        </span>
      </div>
      {rule !== undefined && <RulePanel waf={model.waf} name={rule} onClose={() => setRule(undefined)} />}
      <table className="requests" aria-label="Viewer requests">
        <thead>
          <tr>
            <th>Time</th>
            <th>Method</th>
            <th>Path</th>
            <th>Viewer</th>
            <th>WAF</th>
            <th>Status</th>
            <th>Origin</th>
            <th>Function</th>
            <th>Total</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <RequestRow
              key={r.requestId}
              r={r}
              model={model}
              open={open === r.requestId}
              toggle={() => setOpen(open === r.requestId ? undefined : r.requestId)}
              showRule={setRule}
            />
          ))}
        </tbody>
      </table>
      {!rows.length && (
        <p className="muted">No requests through CloudFront yet: open the site and Execute Lambda.</p>
      )}
    </section>
  );
}

function RequestRow(props: {
  r: EdgeRequestRecord;
  model: PageModel;
  open: boolean;
  toggle(): void;
  showRule(name: string): void;
}) {
  const { r, model } = props;
  const invocation = r.originRequestId ? model.invocations.get(r.originRequestId) : undefined;
  const blocked = isBlocked(r);
  const failed = isError(r, invocation);
  return (
    <>
      <tr
        className={`row${blocked ? " blocked" : ""}${failed ? " failed" : ""}`}
        data-request-id={r.requestId}
        onClick={props.toggle}
        aria-expanded={props.open}
      >
        <td>{clock(r.time)}</td>
        <td>{r.method}</td>
        <td className="path">{r.path}</td>
        <td>
          {r.viewerIp} {r.country && <span className="badge">{r.country}</span>}
        </td>
        <td>
          {r.waf ? (
            <span className={`badge ${blocked ? "bad" : "ok"}`}>
              {r.waf.action}
              {r.waf.terminatingRule ? ` · ${r.waf.terminatingRule}` : ""}
            </span>
          ) : (
            "—"
          )}
        </td>
        <td>{r.status || "—"}</td>
        <td>{r.originStatus ?? "—"}</td>
        <td>
          {invocation ? (
            <span className={`badge ${invocation.status === "success" ? "ok" : "bad"}`}>
              {invocation.cold ? "cold" : "warm"} · {invocation.status}
            </span>
          ) : (
            "—"
          )}
        </td>
        <td>{ms(r.durationMs)}</td>
      </tr>
      {props.open && (
        <tr className="details">
          <td colSpan={9}>
            <div className="grid">
              <div>
                <h3>WAF</h3>
                {r.waf ? (
                  <dl>
                    <dt>Action</dt>
                    <dd>{r.waf.action}</dd>
                    <dt>Terminating rule</dt>
                    <dd>
                      {r.waf.terminatingRule ? (
                        <button
                          type="button"
                          className="link"
                          onClick={(e) => {
                            e.stopPropagation();
                            props.showRule(r.waf!.terminatingRule!);
                          }}
                        >
                          {r.waf.terminatingRule}
                        </button>
                      ) : (
                        "none (default action)"
                      )}
                    </dd>
                    {r.waf.terminatingRuleGroupRule && (
                      <>
                        <dt>Rule-group rule</dt>
                        <dd>{r.waf.terminatingRuleGroupRule}</dd>
                      </>
                    )}
                    <dt>Labels</dt>
                    <dd>{r.waf.labels.length ? r.waf.labels.join(", ") : "—"}</dd>
                    <dt>Counted rules</dt>
                    <dd>{r.waf.countedRules.length ? r.waf.countedRules.join(", ") : "—"}</dd>
                  </dl>
                ) : (
                  <p className="muted">Not evaluated{r.edgeResult ? `: ${r.edgeResult}` : ""}.</p>
                )}
              </div>
              <div>
                <h3>CloudFront</h3>
                <dl>
                  <dt>Request id</dt>
                  <dd className="mono">{r.requestId}</dd>
                  <dt>Viewer status</dt>
                  <dd>{r.status || "none (the viewer went away)"}</dd>
                  <dt>Origin</dt>
                  <dd>{r.originId ? `${r.originId} → ${r.originStatus}` : (r.edgeResult ?? "—")}</dd>
                  <dt>Origin latency</dt>
                  <dd>{ms(r.originLatencyMs)}</dd>
                  <dt>Total</dt>
                  <dd>{ms(r.durationMs)}</dd>
                </dl>
              </div>
              <div className="wide">
                <h3>Invocation</h3>
                {invocation ? (
                  <>
                    <dl>
                      <dt>Request id</dt>
                      <dd className="mono">{invocation.requestId}</dd>
                      <dt>Start</dt>
                      <dd>{invocation.cold ? `cold (init ${ms(invocation.initDurationMs)})` : "warm"}</dd>
                      <dt>Duration</dt>
                      <dd>{ms(invocation.durationMs)}</dd>
                      <dt>Status</dt>
                      <dd>
                        {invocation.status}
                        {invocation.errorType ? ` (${invocation.errorType})` : ""}
                      </dd>
                    </dl>
                    <LogLines lines={logsOf(model, invocation.requestId)} label="Invocation log lines" />
                  </>
                ) : (
                  <p className="muted">
                    {r.originRequestId
                      ? "Not in the kit's history."
                      : "The function did not run for this request."}
                  </p>
                )}
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

function RulePanel({ waf, name, onClose }: { waf: WafView; name: string; onClose(): void }) {
  const rule = waf.rules.find((r) => r.name === name);
  return (
    <section className="rule" aria-label={`Rule ${name}`}>
      <header>
        <h3>
          Rule <code>{name}</code>
          {rule?.priority !== undefined ? ` (priority ${rule.priority})` : ""}
        </h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <p className="muted">
        As written in <code>{waf.templateFile}</code>, web ACL <code>{waf.webAclLogicalId}</code>:
      </p>
      {rule ? (
        <Json value={rule.asWritten} label="Rule as written in the template" />
      ) : (
        <p>The template has no rule named {name}.</p>
      )}
    </section>
  );
}
