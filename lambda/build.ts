// The one build definition of the handler bundle: the CDK app bundles the asset `cdk deploy` uploads with it,
// the kit rebuilds what it runs with it (incrementally), and `npm run build:lambda` writes it to lambda/dist/api.
import { statSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BuildOptions, build, buildSync, context, formatMessagesSync, type Message } from "esbuild";

/** The lambda/ folder: the asset's source, fingerprinted by CDK. */
export const LAMBDA_DIR = dirname(fileURLToPath(import.meta.url));

/** Where `npm run build:lambda` writes the bundle. */
export const DEFAULT_OUTFILE = join(LAMBDA_DIR, "dist", "api", "index.mjs");

/** The asset's file name; the function's handler is `index.handler`. */
export const BUNDLE_FILE = "index.mjs";

/**
 * Name of the bundle, written into the function's template Metadata (`furl-kit:bundle`) by the CDK app, so
 * the kit knows which function to rebuild when lambda/ changes.
 */
export const API_BUNDLE = "api";

/** Template Metadata key naming the bundle a function's code is built from. */
export const BUNDLE_METADATA_KEY = "furl-kit:bundle";

/**
 * esbuild options for the handler: lambda/src/index.ts as minified ESM for Node 24 (the function's nodejs24.x runtime). The AWS SDK stays
 * external (the Lambda runtime provides it); aws-jwt-verify is bundled.
 * @param lambdaDir the lambda/ folder to build from (the kit's tests build a copy)
 */
export function lambdaBuildOptions(outfile: string, lambdaDir = LAMBDA_DIR): BuildOptions {
  return {
    entryPoints: [join(lambdaDir, "src", "index.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    minify: true,
    // Error class names appear in log lines; keep them readable after minification.
    keepNames: true,
    sourcemap: false,
    external: ["@aws-sdk/*"],
    // Bundled CommonJS code calling require() needs a real require in an ES module.
    banner: {
      js: 'import { createRequire as __furlCreateRequire } from "node:module";const require=__furlCreateRequire(import.meta.url);',
    },
    logLevel: "silent",
    legalComments: "none",
  };
}

/** Thrown when the handler does not compile; the message is esbuild's, with file, line and column. */
export class LambdaBuildError extends Error {
  constructor(errors: Message[]) {
    super(formatMessagesSync(errors, { kind: "error", color: false }).join("").trim());
    this.name = "LambdaBuildError";
  }
}

const asBuildError = (error: unknown): Error =>
  error && typeof error === "object" && "errors" in error && Array.isArray(error.errors)
    ? new LambdaBuildError(error.errors as Message[])
    : (error as Error);

/** Result of {@link buildLambda}. */
export interface BuildResult {
  outfile: string;
  bytes: number;
}

/**
 * Bundles the handler once.
 * @example const { outfile, bytes } = await buildLambda();
 * @throws LambdaBuildError
 */
export async function buildLambda(options: { outfile?: string } = {}): Promise<BuildResult> {
  const outfile = options.outfile ?? DEFAULT_OUTFILE;
  await build(lambdaBuildOptions(outfile)).catch((error: unknown) => {
    throw asBuildError(error);
  });
  return { outfile, bytes: statSync(outfile).size };
}

/**
 * Bundles the handler into `outputDir` synchronously: CDK's local bundling (constructs are built synchronously).
 * @throws LambdaBuildError
 */
export function bundleLambdaSync(outputDir: string, lambdaDir = LAMBDA_DIR): void {
  try {
    buildSync(lambdaBuildOptions(join(outputDir, BUNDLE_FILE), lambdaDir));
  } catch (error) {
    throw asBuildError(error);
  }
}

/** An esbuild incremental context over the handler: each rebuild re-reads only what changed. */
export interface LambdaRebuilder {
  outfile: string;
  /** @throws LambdaBuildError (the previous bundle stays in place) */
  rebuild(): Promise<void>;
  /** Builds once without writing, so the first real rebuild is already incremental. */
  warm(): Promise<void>;
  dispose(): Promise<void>;
}

/** Creates the incremental context the kit rebuilds from; nothing is built until `rebuild()`. */
export async function createLambdaRebuilder(
  outfile: string,
  lambdaDir = LAMBDA_DIR,
): Promise<LambdaRebuilder> {
  // write: false, then one write: a failed build must not leave a half-written bundle behind.
  const ctx = await context({ ...lambdaBuildOptions(outfile, lambdaDir), write: false });
  return {
    outfile,
    async rebuild() {
      const result = await ctx.rebuild().catch((error: unknown) => {
        throw asBuildError(error);
      });
      for (const file of result.outputFiles ?? []) {
        await mkdir(dirname(file.path), { recursive: true });
        await writeFile(`${file.path}.next`, file.contents);
        await rename(`${file.path}.next`, file.path);
      }
    },
    async warm() {
      await ctx.rebuild().catch(() => {});
    },
    dispose: () => ctx.dispose(),
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  buildLambda().then(
    ({ outfile, bytes }) => {
      console.log(`lambda bundle: ${relative(process.cwd(), outfile)} ${(bytes / 1024).toFixed(1)} KB`);
    },
    (error: unknown) => {
      console.error(`lambda build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
