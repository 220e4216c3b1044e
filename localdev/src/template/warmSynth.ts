// Re-synthesizes the stack without paying for a cold CDK process each time: the CDK app runs in a process
// that loaded the CDK library beforehand (synthWorker.ts), with the context the CDK CLI would give it.
import { type ChildProcess, fork } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SynthRequest, SynthWorkerMessage } from "./synthWorker.js";

const WORKER_FILE = fileURLToPath(new URL("./synthWorker.ts", import.meta.url));
const TSX_LOADER = createRequire(import.meta.url).resolve("tsx");

/** Thrown when the CDK app fails; the message holds the app's own output. */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthError";
  }
}

/** The app's entry file and context as the CDK CLI reads them from cdk.json (and cdk.context.json). */
export function cdkAppSettings(root: string): { app: string; context: Record<string, unknown> } {
  const cdkJson = JSON.parse(readFileSync(join(root, "cdk.json"), "utf8")) as {
    app?: string;
    context?: Record<string, unknown>;
  };
  const entry = /\btsx\s+(\S+\.ts)\b/.exec(cdkJson.app ?? "")?.[1];
  if (!entry) throw new SynthError(`cdk.json "app" must run a TypeScript file with tsx, got ${cdkJson.app}`);
  const saved = join(root, "cdk.context.json");
  return {
    app: resolve(root, entry),
    context: {
      ...cdkJson.context,
      ...(existsSync(saved) ? (JSON.parse(readFileSync(saved, "utf8")) as Record<string, unknown>) : {}),
      // The CLI's defaults (toolkit-lib contextFromSettings): the same template as `cdk synth`.
      "aws:cdk:enable-path-metadata": true,
      "aws:cdk:enable-asset-metadata": true,
      "aws:cdk:version-reporting": true,
      "aws:cdk:bundling-stacks": ["**"],
      "@aws-cdk/core:failSynthOnValidationErrors": false,
    },
  };
}

interface WarmProcess {
  child: ChildProcess;
  ready: Promise<void>;
  output: () => string;
}

export interface WarmSynthesizer {
  /** Runs the app into `outdir`; the next warm process starts once it is done. @throws SynthError */
  synth(outdir: string): Promise<void>;
  close(): void;
}

/** Starts one warm CDK app process now, so the first re-synth already finds the library loaded. */
export function createWarmSynthesizer(root: string): WarmSynthesizer {
  let spare: WarmProcess | undefined;
  let closed = false;
  /** Where the last synth wrote: its template warms the next process's validation engine. */
  let lastOutdir = join(root, "cdk.out");

  const startProcess = (): WarmProcess => {
    const warmTemplate = firstTemplateIn(lastOutdir);
    const child = fork(WORKER_FILE, [join(root, "infra"), ...(warmTemplate ? [warmTemplate] : [])], {
      cwd: root,
      execArgv: ["--import", TSX_LOADER],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: "1" },
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const ready = new Promise<void>((resolveReady, reject) => {
      child.on("message", (m: SynthWorkerMessage) => m.type === "ready" && resolveReady());
      child.once("exit", (code) =>
        reject(new SynthError(`the CDK app process exited (${code}):\n${output.trim()}`)),
      );
    });
    ready.catch(() => {});
    return { child, ready, output: () => output };
  };

  const warm = () => {
    if (!closed && !spare) spare = startProcess();
  };
  warm();

  return {
    async synth(outdir) {
      const worker = spare ?? startProcess();
      spare = undefined;
      lastOutdir = outdir;
      try {
        await worker.ready;
        const request: SynthRequest = { ...cdkAppSettings(root), outdir };
        await new Promise<void>((done, fail) => {
          worker.child.on("message", (m: SynthWorkerMessage) => {
            if (m.type === "done") done();
            else if (m.type === "failed")
              fail(new SynthError(`${worker.output().trim()}\n${m.message}`.trim()));
          });
          worker.child.once("exit", () =>
            fail(new SynthError(`the CDK app process stopped:\n${worker.output().trim()}`)),
          );
          worker.child.send(request);
        });
      } finally {
        worker.child.kill();
        warm();
      }
    },
    close() {
      closed = true;
      spare?.child.kill();
      spare = undefined;
    },
  };
}

/** A template of the cloud assembly in `dir`, if it holds one. */
function firstTemplateIn(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).find((file) => file.endsWith(".template.json"));
  return name ? join(dir, name) : undefined;
}
