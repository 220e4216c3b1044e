// The kit as users run it: the CLI in its own process, and the time from spawn to a healthy control endpoint.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KitEndpoints } from "../localdev/src/index.js";

export interface KitProcess {
  /** Seconds from spawn to /health answering 200. */
  secondsToHealthy: number;
  endpoints: KitEndpoints;
  stop(): Promise<void>;
}

/**
 * Spawns `localdev/src/cli.ts` (what `npm start` runs) of the checkout at `root` on `basePort`, with the `node`
 * binary (default: this one), and waits until it is healthy.
 */
export async function spawnKit(
  root: string,
  basePort: number,
  args: string[] = [],
  timeoutMs = 120_000,
  node = process.execPath,
  watch = false,
): Promise<KitProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), "furl-kit-bench-start-"));
  // The kit's log goes to a file, as to a terminal: written by the kit, not parsed by the process measuring it.
  const logFile = join(stateDir, "kit.log");
  const logFd = openSync(logFile, "w");
  const started = performance.now();
  const child = spawn(
    node,
    [
      // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the kit under load
      ...(process.env.BENCH_KIT_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      "--import",
      "tsx",
      "localdev/src/cli.ts",
      "--port",
      String(basePort),
      "--state-dir",
      stateDir,
      ...(watch ? [] : ["--no-watch"]),
      ...args,
    ],
    { cwd: root, stdio: ["ignore", "ignore", logFd] },
  );
  closeSync(logFd);
  const logTail = () => {
    try {
      return readFileSync(logFile, "utf8").slice(-4000);
    } catch {
      return ""; // removed by stop()
    }
  };
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}: ${logTail()}`))),
  );
  exited.catch(() => {}); // settles after stop(); only the race below reads it
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  const control = `http://127.0.0.1:${basePort + 5}`;
  const poll = async (): Promise<number> => {
    while (performance.now() - started < timeoutMs) {
      try {
        if ((await fetch(`${control}/health`)).status === 200) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`not healthy within ${timeoutMs} ms: ${logTail()}`);
  };
  try {
    const secondsToHealthy = await Promise.race([poll(), exited]);
    const endpoints = (await (await fetch(`${control}/endpoints`)).json()) as KitEndpoints;
    return { secondsToHealthy, endpoints, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
