// Render tests of the page's components with react-dom/server: names, roles and visibility users rely on.
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { App } from "./App.js";
import { ConfigErrorPanel } from "./components/ConfigErrorPanel.js";
import { ExecutePage, type ExecutePageProps } from "./components/ExecutePage.js";
import { HomePage } from "./components/HomePage.js";
import type { WebConfig } from "./config.js";
import type { PageEnvironment } from "./environment.js";
import { planStart } from "./flow.js";
import { MemoryStorage, Session } from "./session.js";

const noop = () => {};
const config: WebConfig = {
  signInUrl: "https://auth.example.com/oauth2/authorize?client_id=abc",
  signOutUrl: "https://auth.example.com/logout?client_id=abc",
  apiUrl: "https://d111.cloudfront.net/",
};

function buttonNames(html: string): string[] {
  return [...html.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((match) => match[1] ?? "");
}

function executePage(overrides: Partial<ExecutePageProps>): string {
  return renderToString(
    <ExecutePage
      signedIn={false}
      executing={false}
      onExecute={noop}
      onReturnHome={noop}
      onSignOut={noop}
      {...overrides}
    />,
  );
}

function renderApp(href: string, appConfig: WebConfig | undefined, storage = new MemoryStorage()): string {
  const env: PageEnvironment = {
    fetchFn: (() => Promise.reject(new Error("no network in render tests"))) as typeof fetch,
    storage,
    navigate: noop,
    alert: noop,
  };
  const session = new Session(storage);
  const start = planStart(href, session);
  return renderToString(<App env={env} session={session} start={start} initialConfig={appConfig} />);
}

describe("HomePage", () => {
  it("offers Sign In and Continue under a heading", () => {
    const html = renderToString(<HomePage onSignIn={noop} onContinue={noop} />);
    expect(html).toContain("<h1");
    expect(buttonNames(html)).toEqual(["Sign In", "Continue"]);
  });

  it("signed in, says so and makes the choice explicit: continue signed in, or as a guest", () => {
    const html = renderToString(
      <HomePage signedIn username="alice" onSignIn={noop} onContinue={noop} onContinueSignedIn={noop} />,
    );
    expect(html).toContain("Signed in as alice");
    expect(buttonNames(html)).toEqual(["Continue signed in", "Continue as guest"]);
    expect(html).toContain("this tab forgets the sign-in");
  });

  it("shows a hosted UI error as an alert", () => {
    const html = renderToString(
      <HomePage signInError="Sign-in failed: access_denied" onSignIn={noop} onContinue={noop} />,
    );
    expect(html).toMatch(/role="alert"[^>]*>Sign-in failed: access_denied/);
  });
});

describe("ExecutePage", () => {
  it("offers Execute Lambda and Return to Home Page to a guest, without Sign out", () => {
    expect(buttonNames(executePage({}))).toEqual(["Execute Lambda", "Return to Home Page"]);
  });

  it("adds Sign out and the username when signed in", () => {
    const html = executePage({ signedIn: true, username: "alice" });
    expect(buttonNames(html)).toEqual(["Sign out", "Execute Lambda", "Return to Home Page"]);
    expect(html).toContain("Signed in as alice");
  });

  it("disables the button and says Executing… while a call runs", () => {
    const html = executePage({ executing: true });
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Executing…<\/button>/);
  });

  it.each([
    ["success", "status-success"],
    ["unauthorized", "status-unauthorized"],
    ["blocked", "status-blocked"],
    ["error", "status-error"],
  ] as const)("shows a %s outcome in a polite live region styled %s", (kind, className) => {
    const html = executePage({ outcome: { kind, text: "the answer", status: 200 } });
    expect(html).toMatch(new RegExp(`role="status" aria-live="polite" class="status ${className}"`));
    expect(html).toContain("the answer");
  });

  it("keeps the live region on the page before the first call", () => {
    expect(executePage({})).toMatch(/role="status" aria-live="polite" class="status status-idle"/);
  });
});

describe("ConfigErrorPanel", () => {
  it("explains what failed in an alert", () => {
    const html = renderToString(<ConfigErrorPanel message="Could not load /config.json (HTTP 404)." />);
    expect(html).toMatch(/role="alert"/);
    expect(html).toContain("Could not load /config.json (HTTP 404).");
  });
});

describe("App", () => {
  it("shows the local badge only when the config comes from the local kit", () => {
    const local = renderApp("http://127.0.0.1:3000/", { ...config, local: { viewerCountry: "US" } });
    expect(local).toContain("local · viewer country US");

    const aws = renderApp("https://main.d1abc.amplifyapp.com/", config);
    expect(aws).not.toContain("local ·");
  });

  it("shows a loading state until the config is loaded", () => {
    const html = renderApp("https://site.example/", undefined);
    expect(html).toContain("Loading configuration…");
    expect(buttonNames(html)).toEqual([]);
  });

  it("opens on the execute page, signed in, after the hosted UI callback", () => {
    const html = renderApp("https://site.example/?code=c1", config);
    expect(buttonNames(html)).toEqual(["Sign out", "Execute Lambda", "Return to Home Page"]);
  });

  it("opens on the home page for a first visit", () => {
    expect(buttonNames(renderApp("https://site.example/", config))).toEqual(["Sign In", "Continue"]);
  });
});
