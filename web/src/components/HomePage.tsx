// Home page: what the demo is, "Sign In" (Cognito hosted UI) and "Continue" (guest).
import { signedInAs, texts } from "../messages.js";

export interface HomePageProps {
  username?: string;
  signInError?: string;
  onSignIn(): void;
  onContinue(): void;
}

export function HomePage({ username, signInError, onSignIn, onContinue }: HomePageProps) {
  return (
    <section aria-labelledby="home-heading">
      <h1 id="home-heading">{texts.homeHeading}</h1>
      <p className="lead">{texts.homeIntro}</p>
      {signInError ? (
        <p role="alert" className="notice notice-error">
          {signInError}
        </p>
      ) : null}
      {username ? <p className="identity identity-signed-in home-identity">{signedInAs(username)}</p> : null}
      <div className="actions">
        <button type="button" className="button button-primary" onClick={onSignIn}>
          {texts.signIn}
        </button>
        <button type="button" className="button button-secondary" onClick={onContinue}>
          {texts.continue}
        </button>
      </div>
    </section>
  );
}
