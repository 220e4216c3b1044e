// Execute page: runs the Lambda, returns home, signs out, and shows the last outcome.
import type { ExecuteOutcome } from "../api.js";
import { signedInAs, texts } from "../messages.js";
import { StatusRegion } from "./StatusRegion.js";

export interface ExecutePageProps {
  signedIn: boolean;
  username?: string;
  executing: boolean;
  outcome?: ExecuteOutcome;
  onExecute(): void;
  onReturnHome(): void;
  onSignOut(): void;
}

export function ExecutePage(props: ExecutePageProps) {
  const { signedIn, username, executing, outcome } = props;
  return (
    <section aria-labelledby="execute-heading">
      <div className="identity-bar">
        <p className={`identity ${signedIn ? "identity-signed-in" : "identity-guest"}`}>
          {signedIn ? (username ? signedInAs(username) : texts.signedIn) : texts.guest}
        </p>
        {signedIn ? (
          <button type="button" className="button button-quiet" onClick={props.onSignOut}>
            {texts.signOut}
          </button>
        ) : null}
      </div>
      <h1 id="execute-heading">{texts.executeHeading}</h1>
      <p className="lead">{signedIn ? texts.executeIntroSignedIn : texts.executeIntroGuest}</p>
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          onClick={props.onExecute}
          disabled={executing}
          aria-busy={executing}
        >
          {executing ? texts.executing : texts.execute}
        </button>
        <button type="button" className="button button-secondary" onClick={props.onReturnHome}>
          {texts.returnHome}
        </button>
      </div>
      <StatusRegion outcome={outcome} />
    </section>
  );
}
