// Unit tests for the Lambda call: request shape and the mapping of every answer to what the user sees.
import { describe, expect, it } from "vitest";
import { executeLambda, lambdaRequest } from "./api.js";

const apiUrl = "https://d111.cloudfront.net/";

interface Captured {
  url?: string;
  init?: RequestInit;
}

function stubFetch(response: () => Response, captured: Captured = {}): typeof fetch {
  return (async (input: string, init?: RequestInit) => {
    captured.url = input;
    captured.init = init;
    return response();
  }) as typeof fetch;
}

function json(status: number, body: unknown, statusText = ""): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { "content-type": "application/json" },
  });
}

describe("executeLambda: request", () => {
  it("POSTs the code as JSON in a CORS-simple request (no preflight for WAF to block)", async () => {
    const captured: Captured = {};
    await executeLambda({
      apiUrl,
      code: "c-1",
      fetchFn: stubFetch(() => json(200, { message: "ok" }), captured),
    });

    expect(captured.url).toBe(apiUrl);
    expect(captured.init?.method).toBe("POST");
    expect(
      captured.init?.headers,
      "no header of our own: fetch sends text/plain for a string",
    ).toBeUndefined();
    expect(captured.init?.body).toBe('{"code":"c-1"}');
    expect(captured.init?.credentials).toBe("omit");
  });

  it("POSTs an empty object as a guest", async () => {
    const captured: Captured = {};
    await executeLambda({
      apiUrl,
      fetchFn: stubFetch(() => json(401, { message: "Not authorized." }), captured),
    });
    expect(captured.init?.body).toBe("{}");
  });
});

describe("lambdaRequest: what fetch puts on the wire", () => {
  // The Fetch standard's CORS-safelisted request: method GET/HEAD/POST, only safelisted headers, and a
  // Content-Type of text/plain, multipart/form-data or application/x-www-form-urlencoded.
  it("is CORS-simple: POST, Content-Type text/plain, no other header", () => {
    const request = new Request(apiUrl, lambdaRequest("c-1"));
    expect(request.method).toBe("POST");
    expect([...request.headers.keys()]).toEqual(["content-type"]);
    expect(request.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
  });
});

describe("executeLambda: outcomes", () => {
  it("shows the message and username of a 200", async () => {
    const message = "You are authenticated as alice. Lambda execution was successful.";
    const outcome = await executeLambda({
      apiUrl,
      code: "c",
      fetchFn: stubFetch(() => json(200, { message, username: "alice" })),
    });
    expect(outcome).toEqual({ kind: "success", text: message, status: 200, username: "alice" });
  });

  it("shows the message of a 401", async () => {
    const outcome = await executeLambda({
      apiUrl,
      fetchFn: stubFetch(() => json(401, { message: "Not authorized: no code." })),
    });
    expect(outcome).toEqual({ kind: "unauthorized", text: "Not authorized: no code.", status: 401 });
  });

  it("shows the reason of a WAF custom block response", async () => {
    const outcome = await executeLambda({
      apiUrl,
      fetchFn: stubFetch(() =>
        json(403, { message: "Request blocked by AWS WAF: country not allowed", blocked: true }),
      ),
    });
    expect(outcome).toEqual({
      kind: "blocked",
      text: "Blocked: Request blocked by AWS WAF: country not allowed",
      status: 403,
    });
  });

  it.each([
    ["CloudFront's HTML error page", () => new Response("<html>Request blocked</html>", { status: 403 })],
    ["the bypass guard's JSON", () => json(403, { message: "Forbidden" })],
  ])("shows a generic edge refusal for a 403 from %s", async (_name, response) => {
    const outcome = await executeLambda({ apiUrl, fetchFn: stubFetch(response) });
    expect(outcome).toEqual({
      kind: "blocked",
      text: "Blocked: the request was refused by the edge (403).",
      status: 403,
    });
  });

  it("shows a 5xx with the function's message", async () => {
    const outcome = await executeLambda({
      apiUrl,
      fetchFn: stubFetch(() => json(503, { message: "Configuration is unavailable." })),
    });
    expect(outcome).toEqual({
      kind: "error",
      text: "Server error (503): Configuration is unavailable.",
      status: 503,
    });
  });

  it("shows a 5xx without a JSON body with its status text, or a reason phrase when HTTP/2 sent none", async () => {
    const withText = await executeLambda({
      apiUrl,
      fetchFn: stubFetch(
        () => new Response("Internal Server Error", { status: 502, statusText: "Bad Gateway" }),
      ),
    });
    expect(withText.text).toBe("Server error (502): Bad Gateway");

    const withoutText = await executeLambda({
      apiUrl,
      fetchFn: stubFetch(() => new Response("<html>", { status: 504 })),
    });
    expect(withoutText.text).toBe("Server error (504): Gateway Timeout");
  });

  it("shows other answers as unexpected, with their message", async () => {
    const outcome = await executeLambda({
      apiUrl,
      fetchFn: stubFetch(() => json(400, { message: "Malformed request body." })),
    });
    expect(outcome).toEqual({
      kind: "error",
      text: "Unexpected answer (400): Malformed request body.",
      status: 400,
    });
  });

  it("treats a 200 without a message as unexpected", async () => {
    const outcome = await executeLambda({
      apiUrl,
      fetchFn: stubFetch(() => new Response("ok", { status: 200 })),
    });
    expect(outcome.kind).toBe("error");
    expect(outcome.text).toBe("Unexpected answer (200): no details");
  });

  it("names the API host when fetch throws (offline, DNS, CORS)", async () => {
    const fetchFn = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    const outcome = await executeLambda({ apiUrl, fetchFn });
    expect(outcome).toEqual({
      kind: "error",
      text: "Network error: could not reach the API at d111.cloudfront.net.",
    });
  });

  it("gives up when the API does not answer in time", async () => {
    // Answers only by rejecting once the caller aborts, like a real fetch to a silent server.
    const fetchFn = ((_input: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      })) as typeof fetch;
    const outcome = await executeLambda({ apiUrl, fetchFn, timeoutMs: 1 });
    expect(outcome).toEqual({
      kind: "error",
      text: "Network error: the API at d111.cloudfront.net did not answer within 0.001 s.",
    });
  });
});
