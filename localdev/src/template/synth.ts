// Keeps cdk.out current: knows which sources changed since the last synth, and synthesizes with a warm CDK app.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../shared/log.js";

/** Tests live beside the code; changing one changes nothing that is deployed. */
export const isTestFile = (name: string) => /\.test\.tsx?$/.test(name);

/** What a changed source asks of the kit. */
export type SourceArea = "infra" | "lambda" | "web";

/** Which area a changed path (relative to the root, `/`-separated) belongs to; undefined when none. */
export function sourceArea(path: string): SourceArea | undefined {
  if (isTestFile(path)) return undefined;
  // The build definition is part of the stack: the CDK app bundles the asset with it.
  if (path.startsWith("infra/") || path === "cdk.json" || path === "lambda/build.ts") return "infra";
  if (path.startsWith("lambda/src/")) return "lambda";
  if (path.startsWith("web/")) return "web";
  return undefined;
}

/** Folders and files whose changes change the synthesized app, by area. */
export const SOURCE_INPUTS: Record<SourceArea, string[]> = {
  infra: ["infra", "cdk.json", "lambda/build.ts"],
  lambda: ["lambda/src"],
  web: ["web/src", "web/index.html", "web/vite.config.ts"],
};

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

/** The areas changed since cdk.out was written; every area when there is no cdk.out. */
export function staleAreas(root: string, assemblyDir: string): Set<SourceArea> {
  const areas = Object.keys(SOURCE_INPUTS) as SourceArea[];
  const manifest = join(assemblyDir, "manifest.json");
  if (!existsSync(manifest)) return new Set(areas);
  const synthesizedAt = statSync(manifest).mtimeMs;
  return new Set(
    areas.filter((area) =>
      SOURCE_INPUTS[area].some((input) => newestMtime(join(root, input)) > synthesizedAt),
    ),
  );
}

/** True when cdk.out is missing or older than any source. */
export function isSynthStale(root: string, assemblyDir: string): boolean {
  return staleAreas(root, assemblyDir).size > 0;
}

/** Runs `npm run synth` (build the page, then `cdk synth`), output into the kit's log. */
export function runSynth(root: string, log: Logger): Promise<void> {
  const started = Date.now();
  log.info("synthesizing the stack (npm run synth)...");
  return runQuiet("npm", ["run", "--silent", "synth"], root).then(() => {
    log.info(`synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

/** Runs `npm run build:web` (Vite's production build into web/dist, which the stack deploys). */
export function buildWeb(root: string): Promise<void> {
  return runQuiet("npm", ["run", "--silent", "build:web"], root);
}

/** Runs a command with its output kept (the last 8 kB) for the error it fails with. */
export function runQuiet(
  command: string,
  args: string[],
  cwd: string,
  options: { label?: string; env?: Record<string, string> } = {},
): Promise<void> {
  const label = options.label ?? `${command} ${args.join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: "1", ...options.env },
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${label} failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}
