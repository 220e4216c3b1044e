// Cognito: each pool's users with the actions a developer needs locally, pending codes, hosted UI sessions.
import { useState } from "react";
import { action } from "./api.js";
import { clock } from "./common.js";
import type { CognitoView } from "./types.js";

type User = CognitoView["users"][number];

export function CognitoPanel({ cognito }: { cognito: CognitoView }) {
  const [problem, setProblem] = useState<string | undefined>();
  const run = async (path: string, body: Record<string, unknown>) => {
    setProblem(undefined);
    try {
      await action(path, body);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <section aria-label="Cognito">
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {cognito.pools.map((pool) => {
        const users = cognito.users.filter((u) => u.poolId === pool.id);
        const codes = cognito.confirmations.filter((c) => c.poolId === pool.id);
        const sessions = cognito.sessions.filter((s) => s.poolId === pool.id);
        return (
          <article key={pool.id} className="card" aria-label={`User pool ${pool.id}`}>
            <h2>
              User pool <code>{pool.id}</code> <span className="muted">({pool.logicalId})</span>
            </h2>
            <p className="muted">
              Clients:{" "}
              {pool.clients
                .map((c) => `${c.clientId}${c.hasSecret ? " (with a secret, not shown)" : ""}`)
                .join(", ")}
            </p>
            <h3>Users</h3>
            <table aria-label="Users">
              <thead>
                <tr>
                  <th>Username</th>
                  <th>Status</th>
                  <th>Enabled</th>
                  <th>Attributes</th>
                  <th>Created</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <UserRow key={u.username} u={u} run={run} />
                ))}
              </tbody>
            </table>
            {!users.length && <p className="muted">No users yet: sign up through the site's Sign In.</p>}
            <h3>Pending codes (sign-up confirmation, password reset)</h3>
            {codes.length ? (
              <table aria-label="Pending codes">
                <thead>
                  <tr>
                    <th>Username</th>
                    <th>Email</th>
                    <th>For</th>
                    <th>Code</th>
                    <th>Expires</th>
                  </tr>
                </thead>
                <tbody>
                  {codes.map((c) => (
                    <tr key={`${c.username}-${c.purpose ?? "confirm"}`}>
                      <td>{c.username}</td>
                      <td>{c.email ?? "—"}</td>
                      <td>{c.purpose === "forgotPassword" ? "password reset" : "sign-up confirmation"}</td>
                      <td className="mono">{c.code}</td>
                      <td>{new Date(c.expiresAt).toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">None. (A code is gone once it is used.)</p>
            )}
            <h3>Hosted UI sessions</h3>
            {sessions.length ? (
              <table aria-label="Hosted UI sessions">
                <thead>
                  <tr>
                    <th>Session</th>
                    <th>Username</th>
                    <th>Signed in</th>
                    <th>Expires</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {sessions.map((s) => (
                    <tr key={s.id}>
                      <td className="mono">{s.id}…</td>
                      <td>{s.username}</td>
                      <td>{clock(s.authTime)}</td>
                      <td>{clock(s.expiresAt)}</td>
                      <td>
                        <button
                          type="button"
                          onClick={() => run("cognito/sign-out", { poolId: pool.id, sessionId: s.id })}
                        >
                          Sign out
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No one is signed in to the hosted UI.</p>
            )}
          </article>
        );
      })}
    </section>
  );
}

function UserRow({
  u,
  run,
}: {
  u: User;
  run: (path: string, body: Record<string, unknown>) => Promise<void>;
}) {
  const [password, setPassword] = useState<string | undefined>();
  const who = { poolId: u.poolId, username: u.username };
  return (
    <tr data-username={u.username}>
      <td>{u.username}</td>
      <td>
        <span className={`badge ${u.status === "CONFIRMED" ? "ok" : "warn"}`}>{u.status}</span>
      </td>
      <td>{u.enabled ? "yes" : "disabled"}</td>
      <td className="attrs">
        {Object.entries(u.attributes).map(([k, v]) => (
          <div key={k}>
            <span className="muted">{k}</span> {v}
          </div>
        ))}
      </td>
      <td>{new Date(u.createdAt).toLocaleString()}</td>
      <td>
        <div className="actions">
          {u.status === "UNCONFIRMED" && (
            <button type="button" onClick={() => run("cognito/confirm", who)}>
              Confirm
            </button>
          )}
          <button type="button" onClick={() => run(u.enabled ? "cognito/disable" : "cognito/enable", who)}>
            {u.enabled ? "Disable" : "Enable"}
          </button>
          {password === undefined ? (
            <button type="button" onClick={() => setPassword("")}>
              Reset password
            </button>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void run("cognito/set-password", { ...who, password }).then(() => setPassword(undefined));
              }}
            >
              <input
                type="password"
                aria-label={`New password for ${u.username}`}
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <button type="submit">Set</button>
            </form>
          )}
          <button
            type="button"
            className="danger"
            onClick={() => {
              if (window.confirm(`Delete ${u.username}?`)) void run("cognito/delete", who);
            }}
          >
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
