// Keeps cdk.out current: re-synthesizes when the stack, the handler or the site changed since the last synth.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../shared/log.js";

/** Folders whose changes change the synthesized app. */
export const SYNTH_INPUTS = [
  "infra",
  "lambda/src",
  "lambda/build.ts",
  "web/src",
  "web/index.html",
  "cdk.json",
];

/** Tests live beside the code; changing one changes nothing that is deployed. */
export const isTestFile = (name: string) => /\.test\.tsx?$/.test(name);

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || isTestFile(entry.name)) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** True when cdk.out is missing or older than any synth input. */
export function isSynthStale(root: string, assemblyDir: string): boolean {
  const manifest = join(assemblyDir, "manifest.json");
  if (!existsSync(manifest)) return true;
  const synthesizedAt = statSync(manifest).mtimeMs;
  return SYNTH_INPUTS.some((input) => newestMtime(join(root, input)) > synthesizedAt);
}

/** Runs `npm run synth` (build the function and the site, then `cdk synth`), output into the kit's log. */
export function runSynth(root: string, log: Logger): Promise<void> {
  const started = Date.now();
  log.info("synthesizing the stack (npm run synth)...");
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "synth"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: "1" },
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) {
        log.info(`synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else {
        reject(new Error(`npm run synth failed (exit ${code}):\n${output.trim()}`));
      }
    });
  });
}
