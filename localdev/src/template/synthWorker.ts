// A CDK app process kept warm: it loads the CDK library before it is needed, then runs the app once when
// asked and exits. Started by warmSynth.ts with tsx's loader (`node --import tsx`); one process per synth,
// because a module loaded once is never loaded again (the app's edited sources must be read fresh).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface SynthRequest {
  /** The CDK app's entry file (from cdk.json "app"). */
  app: string;
  outdir: string;
  /** What the CDK CLI would pass in CDK_CONTEXT_JSON. */
  context: Record<string, unknown>;
}

export type SynthWorkerMessage = { type: "ready" } | { type: "done" } | { type: "failed"; message: string };

const send = (message: SynthWorkerMessage) => process.send?.(message);

/** Every package the app's sources import (aws-cdk-lib and its service modules, constructs, ...). */
function packagesImportedBy(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // Test helpers (assertions, vitest) are never part of a synth.
      if (entry.name !== "node_modules" && entry.name !== "testing") packagesImportedBy(path, found);
    } else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
      for (const [, specifier] of readFileSync(path, "utf8").matchAll(/from\s+"([^".][^"]*)"/g))
        if (specifier && !specifier.startsWith("node:")) found.add(specifier);
    }
  }
  return found;
}

/**
 * Validates the previous template once, so CDK's built-in CloudFormation validation (a WebAssembly engine,
 * about 5 s of CPU when cold, most of a synth) has its engine compiled and its rules loaded for these
 * resource types. Best effort: the synth validates again either way.
 */
async function warmValidation(templatePath: string | undefined): Promise<void> {
  if (!templatePath || !existsSync(templatePath)) return;
  const { CloudFormationValidatePlugin } = (await import("aws-cdk-lib")) as unknown as {
    CloudFormationValidatePlugin: { _singletonInstance(): { validate(context: unknown): unknown } };
  };
  CloudFormationValidatePlugin._singletonInstance().validate({
    stackTemplates: [
      { stackConstructPath: "warm-up", templatePath, accountId: "123456789012", region: "us-east-1" },
    ],
  });
}

const [infraDir, previousTemplate] = process.argv.slice(2);
// Warm-up: what makes a cold synth slow is loading aws-cdk-lib's modules and its validation engine, not
// running the app.
await Promise.all([...packagesImportedBy(infraDir!)].map((specifier) => import(specifier).catch(() => {})));
await warmValidation(previousTemplate).catch(() => {});
send({ type: "ready" });

process.once("message", async (request: SynthRequest) => {
  process.env.CDK_OUTDIR = request.outdir;
  process.env.CDK_CONTEXT_JSON = JSON.stringify(request.context);
  try {
    await import(pathToFileURL(request.app).href);
    // The app reports a user mistake on stderr and sets the exit code instead of throwing.
    if (process.exitCode) send({ type: "failed", message: "the CDK app reported an error (see above)" });
    else send({ type: "done" });
  } catch (error) {
    send({
      type: "failed",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
  process.disconnect();
});
