// The kit's control endpoint: health, and what developers and tests need to see (users, codes, invocations, WAF).
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { ClientRequestError, requestUrl } from "../shared/listen.js";

export interface ControlSources {
  ready(): boolean;
  /** The build now serving; with `after`, once a newer one is live or a build failed (long poll). */
  build(after?: number): Promise<unknown>;
  endpoints(): Record<string, unknown>;
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
  // A Map, so a path like /constructor or /__proto__ is simply not a route.
  const routes = new Map<string, (url: URL) => unknown>([
    ["/endpoints", () => sources.endpoints()],
    ["/users", () => sources.users()],
    ["/confirmation-codes", () => sources.confirmationCodes()],
    ["/invocations", () => sources.invocations()],
    ["/waf/decisions", (url) => sources.wafDecisions(limitOf(url))],
    ["/parameters", () => sources.parameters()],
    ["/requests", () => sources.requestCounts()],
    ["/not-emulated", () => sources.notEmulated()],
  ]);

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req);
    if (req.method !== "GET") return json(res, 405, { message: "The control endpoint is read-only (GET)." });
    if (url.pathname === "/health") {
      if (!sources.ready()) return json(res, 503, { status: "starting" });
      // ?after=<generation> answers once a newer build is live (or one failed): wait on this, never sleep.
      const after = url.searchParams.get("after");
      const generation = after === null ? undefined : Number(after);
      if (generation !== undefined && !Number.isInteger(generation))
        return json(res, 400, { message: "after must be a build generation (an integer)" });
      void sources.build(generation).then((build) => json(res, 200, { status: "ready", build }));
      return;
    }
    if (url.pathname === "/") return json(res, 200, { routes: ["/health", ...routes.keys()] });
    const route = routes.get(url.pathname);
    if (!route) return json(res, 404, { message: `No control route ${url.pathname}` });
    Promise.resolve()
      .then(() => route(url))
      .then(
        (body) => json(res, 200, body),
        (error: Error) =>
          error instanceof ClientRequestError
            ? json(res, error.status, { message: error.message })
            : json(res, 500, { message: `The kit could not answer: ${error.message}` }),
      );
  };
  return { handler };
}

/** `?limit=` of /waf/decisions: 1 to 1000, 100 when absent. */
function limitOf(url: URL): number {
  const raw = url.searchParams.get("limit");
  if (raw === null) return 100;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1)
    throw new ClientRequestError(400, "limit must be a positive integer.");
  return Math.min(limit, 1000);
}
