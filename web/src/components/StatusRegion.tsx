// Live region with the last call's outcome, styled per kind (success, not authorized, blocked, error).
import type { ExecuteOutcome, OutcomeKind } from "../api.js";
import { texts } from "../messages.js";

const kindLabels: Record<OutcomeKind, string> = {
  success: "Authorized",
  unauthorized: "Not authorized",
  blocked: "Blocked",
  error: "Error",
};

export function StatusRegion({ outcome }: { outcome: ExecuteOutcome | undefined }) {
  // Always rendered: screen readers only announce changes to a live region that already exists.
  return (
    <div role="status" aria-live="polite" className={`status status-${outcome?.kind ?? "idle"}`}>
      {outcome ? (
        <>
          <span className="status-label">
            {kindLabels[outcome.kind]}
            {outcome.status !== undefined ? ` · ${outcome.status}` : ""}
          </span>
          <span className="status-text">{outcome.text}</span>
        </>
      ) : (
        <span className="status-text">{texts.statusIdle}</span>
      )}
    </div>
  );
}
