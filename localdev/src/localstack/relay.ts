// Relays requests to LocalStack's Function URL router with the Host it routes on, counting what reaches it.
import { Agent, type IncomingMessage, type RequestListener, request, type ServerResponse } from "node:http";
import { withoutHopByHop } from "../shared/hopByHop.js";
import { type Logger, silentLogger } from "../shared/log.js";

export interface FunctionUrlRelayOptions {
  /** LocalStack's gateway, e.g. http://localstack:4566 */
  endpoint: string;
  /** `<url-id>.lambda-url.<region>.localhost.localstack.cloud:4566` */
  functionUrlHost: string;
  /** Answer 504 when LocalStack takes longer (a cold Lambda container can take seconds). */
  timeoutMs?: number;
  log?: Logger;
}

export interface FunctionUrlRelay {
  handler: RequestListener;
  /** Requests passed on to LocalStack since start that reach the function (preflights never do). */
  forwarded(): number;
  close(): void;
}

/**
 * Clients on the host cannot resolve `*.localhost.localstack.cloud` offline, and CloudFront's local shim
 * needs one place to count origin requests; both go through this relay. It adds nothing: a request
 * without the origin secret still gets the function's own 403.
 */
export function createFunctionUrlRelay(options: FunctionUrlRelayOptions): FunctionUrlRelay {
  const log = options.log ?? silentLogger;
  const target = new URL(options.endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let forwarded = 0;

  const fail = (res: ServerResponse, status: number, message: string) => {
    if (res.headersSent) return res.destroy();
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ message }));
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    // LocalStack's gateway answers every OPTIONS itself with 204 (CorsEnforcer, 4.14): no invocation.
    if (req.method !== "OPTIONS") forwarded++;
    const headers: Record<string, string | string[] | undefined> = {
      ...req.headers,
      host: options.functionUrlHost,
    };
    withoutHopByHop(headers);
    let timedOut = false;
    const upstream = request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      agent,
      setHost: false,
    });
    upstream.setTimeout(options.timeoutMs ?? 30_000, () => {
      timedOut = true;
      upstream.destroy();
    });
    upstream.on("response", (answer) => {
      const out = { ...answer.headers };
      withoutHopByHop(out);
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (timedOut)
        return fail(res, 504, `LocalStack did not answer within ${options.timeoutMs ?? 30_000} ms`);
      log.warn("LocalStack is not reachable", {
        endpoint: options.endpoint,
        error: error.code ?? error.message,
      });
      fail(
        res,
        502,
        `LocalStack is not reachable at ${options.endpoint} (${error.code ?? "connection failed"})`,
      );
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  return { handler, forwarded: () => forwarded, close: () => agent.destroy() };
}
