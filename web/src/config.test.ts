// Unit tests for the runtime config: validation, loading from /config.json, the re-auth URL and the badge.
import { describe, expect, it } from "vitest";
import { ConfigError, loadWebConfig, localBadge, parseWebConfig, reauthUrl } from "./config.js";

const signInUrl =
  "https://furl-kit-123.auth.us-east-1.amazoncognito.com/oauth2/authorize?client_id=abc&response_type=code" +
  "&scope=openid+email&redirect_uri=https%3A%2F%2Fmain.d1abc.amplifyapp.com%2F";
const valid = {
  signInUrl,
  signOutUrl: "https://furl-kit-123.auth.us-east-1.amazoncognito.com/logout?client_id=abc&logout_uri=x",
  apiUrl: "https://d111.cloudfront.net/",
};

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

describe("parseWebConfig", () => {
  it("accepts the deployed shape and keeps only known fields", () => {
    expect(parseWebConfig({ ...valid, extra: 1 })).toEqual(valid);
  });

  it("keeps the local block served by the dev kit", () => {
    expect(parseWebConfig({ ...valid, local: { viewerCountry: "CA" } }).local).toEqual({
      viewerCountry: "CA",
    });
  });

  it.each([
    [{ ...valid, apiUrl: undefined }, '"apiUrl" must be a non-empty string'],
    [{ ...valid, signInUrl: "/oauth2/authorize" }, '"signInUrl" is not an absolute URL'],
    [{ ...valid, signOutUrl: "javascript:alert(1)" }, '"signOutUrl" must be an http(s) URL'],
    [{ ...valid, local: { viewerCountry: "usa" } }, '"local.viewerCountry" must be a two-letter'],
    [{ ...valid, local: null }, '"local.viewerCountry" must be a two-letter'],
    [[valid], "must hold a JSON object"],
    [null, "must hold a JSON object"],
  ])("rejects %j with a message naming the problem", (value, message) => {
    expect(() => parseWebConfig(value)).toThrow(ConfigError);
    expect(() => parseWebConfig(value)).toThrow(message);
  });
});

describe("loadWebConfig", () => {
  it("fetches /config.json without the HTTP cache and returns the validated config", async () => {
    const calls: Array<[string, RequestInit | undefined]> = [];
    const fetchFn = (async (input: string, init?: RequestInit) => {
      calls.push([input, init]);
      return jsonResponse(valid);
    }) as typeof fetch;

    await expect(loadWebConfig(fetchFn)).resolves.toEqual(valid);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBe("/config.json");
    expect(calls[0]?.[1]?.cache).toBe("no-store");
  });

  it("reports a missing file with its status", async () => {
    const fetchFn = (async () => new Response("Not Found", { status: 404 })) as typeof fetch;
    await expect(loadWebConfig(fetchFn)).rejects.toThrow("Could not load /config.json (HTTP 404).");
  });

  it("reports a file that is not JSON (e.g. an SPA fallback serving index.html)", async () => {
    const fetchFn = (async () => jsonResponse("<!doctype html><html></html>")) as typeof fetch;
    await expect(loadWebConfig(fetchFn)).rejects.toThrow("/config.json is not valid JSON.");
  });

  it("reports an unreachable server", async () => {
    const fetchFn = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    await expect(loadWebConfig(fetchFn)).rejects.toThrow("Could not reach /config.json.");
  });

  it("reports an invalid shape", async () => {
    const fetchFn = (async () => jsonResponse({ apiUrl: "https://d111.cloudfront.net/" })) as typeof fetch;
    await expect(loadWebConfig(fetchFn)).rejects.toThrow('"signInUrl" must be a non-empty string');
  });
});

describe("reauthUrl", () => {
  it("appends state=execute to the sign-in URL, leaving its query untouched", () => {
    expect(reauthUrl(signInUrl)).toBe(`${signInUrl}&state=execute`);
  });

  it("starts a query when the sign-in URL has none", () => {
    expect(reauthUrl("https://auth.example.com/login")).toBe("https://auth.example.com/login?state=execute");
  });
});

describe("localBadge", () => {
  it("is shown with the viewer country when the local kit serves the config", () => {
    expect(localBadge(parseWebConfig({ ...valid, local: { viewerCountry: "DE" } }))).toEqual({
      viewerCountry: "DE",
    });
  });

  it("is never shown for an AWS config", () => {
    expect(localBadge(parseWebConfig(valid))).toBeNull();
  });
});
