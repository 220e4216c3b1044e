// Where the kit's stack comes from: this repository's app (synthesized when its sources changed, watched), a
// user's CDK app (`--app`, synthesized once at start with the repository's CDK CLI), or a template as given.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { TemplateResolveError } from "../template/intrinsics.js";
import { runQuiet } from "../template/synth.js";
import { type CfnTemplate, readSynthesizedStack, type SynthesizedStack } from "../template/template.js";

export interface StackSourceOptions {
  /** Repository root (the kit's own CDK CLI lives under its node_modules). */
  root: string;
  /** A CDK app command, as in cdk.json (`npx tsx bin/app.ts`, `node app.js`). */
  app?: string;
  /** Folder the app command runs in (default: the repository root). */
  appDir?: string;
  /** A template file, or a cloud assembly folder. */
  template?: string;
  stack?: string;
  stateDir: string;
}

/** What kind of source, and the cloud assembly folder the kit reads. */
export function describeSource(options: StackSourceOptions & { assemblyDir?: string }): {
  kind: "repo" | "app" | "template";
  assemblyDir: string;
} {
  if (options.template) {
    const path = resolve(options.template);
    const isDir = existsSync(path) && statSync(path).isDirectory();
    return { kind: "template", assemblyDir: isDir ? path : dirname(path) };
  }
  if (options.app) return { kind: "app", assemblyDir: join(options.stateDir, "cdk.out") };
  return { kind: "repo", assemblyDir: options.assemblyDir ?? join(options.root, "cdk.out") };
}

/** Reads the stack: from a cloud assembly (manifest.json), or from a bare template file. */
export function readStack(options: StackSourceOptions, assemblyDir: string): SynthesizedStack {
  const file = options.template && resolve(options.template);
  if (file && !existsSync(file))
    throw new TemplateResolveError(`--template ${options.template}: no such file or folder`);
  if (file && existsSync(file) && statSync(file).isFile()) {
    let template: CfnTemplate;
    try {
      template = JSON.parse(readFileSync(file, "utf8")) as CfnTemplate;
    } catch (error) {
      throw new TemplateResolveError(`Template ${file} is unreadable: ${(error as Error).message}`);
    }
    if (!template || typeof template.Resources !== "object")
      throw new TemplateResolveError(`Template ${file} has no Resources section`);
    const name = options.stack ?? basename(file).replace(/\.template\.json$|\.json$/, "");
    return { stackName: name, templatePath: file, assemblyDir, template, region: "us-east-1" };
  }
  return readSynthesizedStack(assemblyDir, options.stack);
}

/** `cdk synth --app "<command>" -o <outdir>` with the repository's CDK CLI, cwd = the app's folder. */
export function synthApp(root: string, app: string, appDir: string, outdir: string): Promise<void> {
  const cli = join(root, "node_modules", ".bin", "cdk");
  const args = ["synth", "--app", app, "-o", outdir, "--quiet", "--no-notices"];
  return runQuiet(cli, args, appDir, {
    label: `cdk synth --app "${app}"`,
    env: { CDK_DISABLE_CLI_TELEMETRY: "true" },
  });
}
