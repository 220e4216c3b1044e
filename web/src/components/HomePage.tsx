// Home page: what the demo is, "Sign In" (Cognito hosted UI) and "Continue" (guest); signed in, the choice is explicit.
import { signedInAs, texts } from "../messages.js";

export interface HomePageProps {
  username?: string;
  /** The tab is signed in (the username may not be known yet). */
  signedIn?: boolean;
  signInError?: string;
  onSignIn(): void;
  /** Goes on as a guest: a signed-in tab forgets its sign-in first. */
  onContinue(): void;
  /** Goes on signed in; offered only while signed in. */
  onContinueSignedIn?(): void;
}

export function HomePage(props: HomePageProps) {
  const { username, signInError } = props;
  const signedIn = props.signedIn ?? username !== undefined;
  return (
    <section aria-labelledby="home-heading">
      <h1 id="home-heading">{texts.homeHeading}</h1>
      <p className="lead">{signedIn ? texts.homeIntroSignedIn : texts.homeIntro}</p>
      {signInError ? (
        <p role="alert" className="notice notice-error">
          {signInError}
        </p>
      ) : null}
      {signedIn ? (
        <p className="identity identity-signed-in home-identity">
          {username ? signedInAs(username) : texts.signedIn}
        </p>
      ) : null}
      <div className="actions">
        {signedIn ? (
          <>
            <button type="button" className="button button-primary" onClick={props.onContinueSignedIn}>
              {texts.continueSignedIn}
            </button>
            <button type="button" className="button button-secondary" onClick={props.onContinue}>
              {texts.continueAsGuest}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button button-primary" onClick={props.onSignIn}>
              {texts.signIn}
            </button>
            <button type="button" className="button button-secondary" onClick={props.onContinue}>
              {texts.continue}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
