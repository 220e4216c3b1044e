// Unit tests for the page flow: what loading a callback URL does and what "Execute Lambda" does.
import { describe, expect, it } from "vitest";
import { planExecute, planStart } from "./flow.js";
import { MemoryStorage, Session } from "./session.js";

const signInUrl = "https://auth.example.com/oauth2/authorize?client_id=abc&response_type=code";

describe("planStart", () => {
  it("shows home for a first visit", () => {
    const session = new Session(new MemoryStorage());
    expect(planStart("https://site.example/", session)).toEqual({ view: "home", autoExecute: false });
  });

  it("keeps the code from the callback, cleans the address bar and shows the execute page", () => {
    const session = new Session(new MemoryStorage());
    const plan = planStart("https://site.example/?code=c1&state=xyz", session);

    expect(plan).toEqual({ view: "execute", autoExecute: false, replaceUrl: "/" });
    expect(session.isSignedIn()).toBe(true);
    expect(session.takeCode()).toBe("c1");
  });

  it("executes automatically when coming back with state=execute", () => {
    const session = new Session(new MemoryStorage());
    expect(planStart("https://site.example/?code=c2&state=execute", session).autoExecute).toBe(true);
  });

  it("does not execute automatically on state=execute without a code", () => {
    const session = new Session(new MemoryStorage());
    const plan = planStart("https://site.example/?state=execute", session);
    expect(plan.autoExecute).toBe(false);
    expect(plan.replaceUrl).toBe("/");
  });

  it("shows the execute page after a reload while signed in", () => {
    const storage = new MemoryStorage();
    planStart("https://site.example/?code=c3", new Session(storage));
    expect(planStart("https://site.example/", new Session(storage)).view).toBe("execute");
  });

  it("reports a hosted UI error and stays a guest", () => {
    const session = new Session(new MemoryStorage());
    const plan = planStart("https://site.example/?error=invalid_scope", session);
    expect(plan).toEqual({
      view: "home",
      autoExecute: false,
      replaceUrl: "/",
      signInError: "Sign-in failed: invalid_scope",
    });
    expect(session.isSignedIn()).toBe(false);
  });
});

describe("planExecute", () => {
  it("calls without a code as a guest", () => {
    expect(planExecute(new Session(new MemoryStorage()), signInUrl)).toEqual({ kind: "call" });
  });

  it("spends the code once, then goes back to the hosted UI with state=execute", () => {
    const session = new Session(new MemoryStorage());
    session.acceptCode("c4");

    expect(planExecute(session, signInUrl)).toEqual({ kind: "call", code: "c4" });
    expect(planExecute(session, signInUrl)).toEqual({ kind: "reauth", url: `${signInUrl}&state=execute` });
  });

  it("is a guest call again after sign out", () => {
    const session = new Session(new MemoryStorage());
    session.acceptCode("c5");
    session.clear();
    expect(planExecute(session, signInUrl)).toEqual({ kind: "call" });
  });
});
