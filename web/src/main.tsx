// Browser entry: takes the code from the callback URL, cleans the address bar, mounts the app.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { browserEnvironment } from "./environment.js";
import { planStart } from "./flow.js";
import { Session } from "./session.js";
import "./styles.css";

const env = browserEnvironment();
const session = new Session(env.storage);
// Before the first render, so the code never lingers in the address bar, history or a shared link.
const start = planStart(window.location.href, session);
if (start.replaceUrl !== undefined) window.history.replaceState(window.history.state, "", start.replaceUrl);

const rootElement = document.getElementById("root");
if (rootElement) {
  createRoot(rootElement).render(
    <StrictMode>
      <App env={env} session={session} start={start} />
    </StrictMode>,
  );
}
