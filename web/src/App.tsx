// Root component: loads the runtime config, then shows the home or execute page and runs calls.
import { useCallback, useEffect, useRef, useState } from "react";
import { type ExecuteOutcome, executeLambda } from "./api.js";
import { ConfigErrorPanel } from "./components/ConfigErrorPanel.js";
import { ExecutePage } from "./components/ExecutePage.js";
import { HomePage } from "./components/HomePage.js";
import { LocalBadge } from "./components/LocalBadge.js";
import { ConfigError, loadWebConfig, localBadge, type WebConfig } from "./config.js";
import type { PageEnvironment } from "./environment.js";
import { planExecute, type StartPlan, type View } from "./flow.js";
import { texts } from "./messages.js";
import type { Session } from "./session.js";

type ConfigState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; config: WebConfig };

export interface AppProps {
  env: PageEnvironment;
  session: Session;
  start: StartPlan;
  /** Skips loading /config.json (render tests). */
  initialConfig?: WebConfig;
}

export function App({ env, session, start, initialConfig }: AppProps) {
  const [configState, setConfigState] = useState<ConfigState>(
    initialConfig ? { status: "ready", config: initialConfig } : { status: "loading" },
  );
  const [view, setView] = useState<View>(start.view);
  const [signedIn, setSignedIn] = useState(() => session.isSignedIn());
  const [username, setUsername] = useState(() => session.username());
  const [executing, setExecuting] = useState(false);
  const [outcome, setOutcome] = useState<{ value: ExecuteOutcome; seq: number }>();
  const inFlight = useRef(false);
  const autoExecuted = useRef(false);

  useEffect(() => {
    if (initialConfig) return;
    let cancelled = false;
    loadWebConfig(env.fetchFn).then(
      (config) => !cancelled && setConfigState({ status: "ready", config }),
      (error: unknown) => {
        const message = error instanceof ConfigError ? error.message : "The configuration could not be read.";
        if (!cancelled) setConfigState({ status: "error", message });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [env, initialConfig]);

  const config = configState.status === "ready" ? configState.config : undefined;

  const execute = useCallback(async () => {
    if (!config || inFlight.current) return;
    const plan = planExecute(session, config.signInUrl);
    if (plan.kind === "reauth") {
      env.navigate(plan.url);
      return;
    }
    inFlight.current = true;
    setExecuting(true);
    const result = await executeLambda({ apiUrl: config.apiUrl, code: plan.code, fetchFn: env.fetchFn });
    if (result.username) {
      session.rememberUsername(result.username);
      setUsername(result.username);
    } else if (plan.code && result.kind === "unauthorized" && !session.username()) {
      // The only sign of a sign-in was a code the function refused: the tab is not signed in after all.
      session.clear();
      setSignedIn(false);
    }
    inFlight.current = false;
    setExecuting(false);
    setOutcome((previous) => ({ value: result, seq: (previous?.seq ?? 0) + 1 }));
  }, [config, env, session]);

  // The alert comes after the render, so the status region already shows the outcome behind the dialog.
  useEffect(() => {
    if (outcome) env.alert(outcome.value.text);
  }, [outcome, env]);

  // Back from the hosted UI with state=execute: run the call the user asked for, once.
  useEffect(() => {
    if (config && start.autoExecute && !autoExecuted.current) {
      autoExecuted.current = true;
      void execute();
    }
  }, [config, start.autoExecute, execute]);

  const signOut = () => {
    if (!config) return;
    session.clear();
    setSignedIn(false);
    setUsername(undefined);
    env.navigate(config.signOutUrl);
  };

  // A guest is a guest: the tab forgets its code and username (the hosted UI session stays, so a later
  // Sign In comes back without the password).
  const continueAsGuest = () => {
    session.clear();
    setSignedIn(false);
    setUsername(undefined);
    setView("execute");
  };

  const badge = config ? localBadge(config) : null;
  return (
    <div className="page">
      {badge ? <LocalBadge viewerCountry={badge.viewerCountry} /> : null}
      <main className="card">
        {configState.status === "loading" ? (
          <p role="status" className="loading">
            {texts.loadingConfig}
          </p>
        ) : configState.status === "error" ? (
          <ConfigErrorPanel message={configState.message} />
        ) : view === "home" ? (
          <HomePage
            signedIn={signedIn}
            username={signedIn ? username : undefined}
            signInError={start.signInError}
            onSignIn={() => config && env.navigate(config.signInUrl)}
            onContinue={continueAsGuest}
            onContinueSignedIn={() => setView("execute")}
          />
        ) : (
          <ExecutePage
            signedIn={signedIn}
            username={username}
            executing={executing}
            outcome={outcome?.value}
            onExecute={() => void execute()}
            onReturnHome={() => setView("home")}
            onSignOut={signOut}
          />
        )}
      </main>
      <footer className="footer">
        furl-kit · Lambda Function URL behind Amazon CloudFront, AWS WAF and Amazon Cognito
      </footer>
    </div>
  );
}
