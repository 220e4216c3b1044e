// Runs the kit the way a person does: `npm start -- <flags>` as a child process, read through its output.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KitEndpoints } from "../../localdev/src/index.js";
import { repoRoot } from "../integration/kitTarget.js";

/** A kit started by `npm start`: its URLs, everything it printed so far, and a way to stop it. */
export interface NpmStartedKit {
  endpoints: KitEndpoints;
  /** stdout and stderr as printed (the banner, the log). */
  output(): string;
  /** Resolves with the first output line matching `pattern` (already printed or still to come). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

const READY = /\] ready in [\d.]+ s/;

export interface NpmStartOptions {
  /** A state folder to keep (users survive a restart, as in a person's .localdev/); default: a fresh one. */
  stateDir?: string;
  timeoutMs?: number;
}

/**
 * Starts `npm start -- ...flags --port 0 --state-dir <dir>`: the flags a person types, plus free ports and
 * a state folder of the test's own (empty: a fresh clone), so it never meets another kit on this machine.
 * Resolves once the kit says it is ready; its URLs come from `<state-dir>/endpoints.json`.
 */
export async function npmStart(flags: string[], options: NpmStartOptions = {}): Promise<NpmStartedKit> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "furl-kit-npm-start-"));
  const child = spawn("npm", ["start", "--", ...flags, "--port", "0", "--state-dir", stateDir], {
    cwd: repoRoot,
    env: { ...process.env, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so close() stops npm, tsx and the kit together.
    detached: true,
  });
  let printed = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    printed += chunk.toString("utf8");
    for (const wake of waiters) wake();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const waitForOutput = (pattern: RegExp, ms = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = printed.split("\n").find((l) => pattern.test(l));
        if (line === undefined) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`npm start did not print ${pattern} within ${ms} ms. Output:\n${printed}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      void exited.then(() => {
        if (!waiters.has(check)) return;
        done();
        reject(new Error(`npm start exited before printing ${pattern}. Output:\n${printed}`));
      });
      check();
    });

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, "SIGTERM");
      const stopped = await Promise.race([exited.then(() => true), delay(10_000).then(() => false)]);
      if (!stopped) killGroup(child, "SIGKILL");
      await exited;
    }
    if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    await waitForOutput(READY, timeoutMs);
    const endpoints = JSON.parse(readFileSync(join(stateDir, "endpoints.json"), "utf8")) as KitEndpoints;
    return { endpoints, output: () => printed, waitForOutput, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
