// Unit tests for the callback URL parsing and the single-use code kept in session storage.
import { describe, expect, it } from "vitest";
import { MemoryStorage, readCallback, Session } from "./session.js";

describe("readCallback", () => {
  it("takes code and state from the query and gives the URL without them", () => {
    expect(readCallback("https://site.example/?code=abc-123&state=execute")).toEqual({
      code: "abc-123",
      state: "execute",
      cleanUrl: "/",
    });
  });

  it("keeps unrelated query parameters and the fragment in the clean URL", () => {
    const result = readCallback("http://127.0.0.1:5173/app/?lang=en&code=c1#top");
    expect(result.code).toBe("c1");
    expect(result.cleanUrl).toBe("/app/?lang=en#top");
  });

  it("reads a hosted UI error redirect", () => {
    expect(
      readCallback(
        "https://site.example/?error=access_denied&error_description=User+cancelled&state=execute",
      ),
    ).toEqual({
      error: "access_denied",
      errorDescription: "User cancelled",
      state: "execute",
      cleanUrl: "/",
    });
  });

  it("leaves a plain URL alone", () => {
    expect(readCallback("https://site.example/?lang=en")).toEqual({});
  });
});

describe("Session", () => {
  it("hands out an accepted code exactly once", () => {
    const session = new Session(new MemoryStorage());
    session.acceptCode("code-1");

    expect(session.isSignedIn()).toBe(true);
    expect(session.hasUnusedCode()).toBe(true);
    expect(session.takeCode()).toBe("code-1");
    expect(session.takeCode()).toBeUndefined();
    expect(session.hasUnusedCode()).toBe(false);
    expect(session.isSignedIn()).toBe(true);
  });

  it("survives a reload because it lives in the given storage", () => {
    const storage = new MemoryStorage();
    new Session(storage).acceptCode("code-2");
    new Session(storage).rememberUsername("alice");

    const reloaded = new Session(storage);
    expect(reloaded.isSignedIn()).toBe(true);
    expect(reloaded.username()).toBe("alice");
    expect(reloaded.takeCode()).toBe("code-2");
  });

  it("forgets code, sign-in and username on clear", () => {
    const storage = new MemoryStorage();
    const session = new Session(storage);
    session.acceptCode("code-3");
    session.rememberUsername("bob");

    session.clear();

    expect(session.isSignedIn()).toBe(false);
    expect(session.username()).toBeUndefined();
    expect(session.takeCode()).toBeUndefined();
    expect(storage.getItem("furl-kit.code")).toBeNull();
  });

  it("starts as a guest", () => {
    const session = new Session(new MemoryStorage());
    expect(session.isSignedIn()).toBe(false);
    expect(session.username()).toBeUndefined();
  });
});
