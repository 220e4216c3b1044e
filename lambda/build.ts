// Bundles the handler with esbuild into lambda/dist/api/index.mjs, the asset CDK uploads and the local kit runs.
import { stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const lambdaDir = dirname(fileURLToPath(import.meta.url));

/** Where the bundle goes by default; the CDK asset is its folder, handler "index.handler". */
export const DEFAULT_OUTFILE = join(lambdaDir, "dist", "api", "index.mjs");

/** Result of {@link buildLambda}. */
export interface BuildResult {
  outfile: string;
  bytes: number;
}

/**
 * Bundles lambda/src/index.ts as minified ESM for Node 24 (the function's nodejs24.x runtime). The AWS SDK stays external (the Lambda
 * runtime provides it); aws-jwt-verify is bundled.
 * @example const { outfile, bytes } = await buildLambda();
 */
export async function buildLambda(options: { outfile?: string } = {}): Promise<BuildResult> {
  const outfile = options.outfile ?? DEFAULT_OUTFILE;
  await build({
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
    logLevel: "warning",
    legalComments: "none",
  });
  const { size } = await stat(outfile);
  return { outfile, bytes: size };
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
