// The kit's control endpoint: health, and what developers and tests need to see (users, codes, invocations, WAF).
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

export interface ControlSources {
  ready(): boolean;
  endpoints(): Record<string, string>;
  users(): unknown[];
  confirmationCodes(): unknown[];
  invocations(): Promise<unknown[]>;
  wafDecisions(limit: number): unknown[];
  parameters(): unknown[];
  /** Requests each service has received, e.g. to count a handler's calls to SSM and Cognito. */
  requestCounts(): Record<string, number>;
  notEmulated(): string[];
}

/** Read-only JSON routes over the running kit. */
export function createControlServer(sources: ControlSources): { handler: RequestListener } {
  const routes: Record<string, (url: URL) => unknown> = {
    "/endpoints": () => sources.endpoints(),
    "/users": () => sources.users(),
    "/confirmation-codes": () => sources.confirmationCodes(),
    "/invocations": () => sources.invocations(),
    "/waf/decisions": (url) =>
      sources.wafDecisions(Math.min(Number(url.searchParams.get("limit") ?? 100), 1000)),
    "/parameters": () => sources.parameters(),
    "/requests": () => sources.requestCounts(),
    "/not-emulated": () => sources.notEmulated(),
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://control");
    if (req.method !== "GET") return json(res, 405, { message: "The control endpoint is read-only (GET)." });
    if (url.pathname === "/health") {
      return sources.ready() ? json(res, 200, { status: "ready" }) : json(res, 503, { status: "starting" });
    }
    if (url.pathname === "/") return json(res, 200, { routes: ["/health", ...Object.keys(routes)] });
    const route = routes[url.pathname];
    if (!route) return json(res, 404, { message: `No control route ${url.pathname}` });
    Promise.resolve()
      .then(() => route(url))
      .then(
        (body) => json(res, 200, body),
        (error: Error) => json(res, 500, { message: `The kit could not answer: ${error.message}` }),
      );
  };
  return { handler };
}
