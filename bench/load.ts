// autocannon wrappers: throughput at N connections and latency percentiles at one connection.
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { RequestListener } from "node:http";
import autocannon from "autocannon";
import express from "express";

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** Responses by status code, e.g. {"401": 1200}. */
  statusCodes: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /**
   * Requests sent in turn by every connection, each prebuilt once as autocannon does for a plain run, so
   * the load generator costs the same per request as against the hello-world ceilings.
   */
  requests?: Array<{ headers?: Record<string, string>; body?: string }>;
  /** Called for every request: lets a run vary headers or body (fresh codes); costs the generator CPU. */
  setupRequest?: (request: { headers?: Record<string, string>; body?: string }) => {
    headers?: Record<string, string>;
    body?: string;
  };
  body?: string;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    method: options.method ?? "GET",
    headers: { "user-agent": "furl-kit-bench", ...options.headers },
    body: options.body,
    requests: options.setupRequest ? [{ setupRequest: options.setupRequest as never }] : options.requests,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(
        (result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {},
      ).map(([code, stats]) => [code, stats.count]),
    ),
    errors: result.errors,
  };
}

/** Runs `bench/helloServer.ts <kind>` in its own process (as the kit runs in its own) for the duration of `fn`. */
export async function withHelloProcess<T>(
  root: string,
  kind: "node" | "express",
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/helloServer.ts", kind], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const [chunk] = (await once(child.stdout, "data")) as [Buffer];
    return await fn(`http://127.0.0.1:${Number(chunk.toString().trim())}/`);
  } finally {
    child.kill("SIGTERM");
  }
}

export const bareHello: RequestListener = (_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("hello");
};

export function expressHello(): RequestListener {
  const app = express();
  app.get("/", (_req, res) => {
    res.send("hello");
  });
  return app;
}
