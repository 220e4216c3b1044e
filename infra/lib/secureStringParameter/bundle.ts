// Bundles the provider's TypeScript handler with esbuild at synth time into a content-addressed folder.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const ENTRY = fileURLToPath(new URL("./runtime/handler.ts", import.meta.url));

/**
 * Returns a folder holding `index.mjs` (export `handler`), ready for `lambda.Code.fromAsset`.
 * The AWS SDK stays external: the Node.js 24 runtime provides it. The folder name is the bundle's hash,
 * so repeated synths reuse it and the asset hash only changes with the code.
 * @param outRoot where bundles go; defaults to the OS temp dir (cdk.out is cleaned by the CLI).
 */
export function bundleProviderHandler(outRoot: string = join(tmpdir(), "furl-kit-bundles")): string {
  const result = buildSync({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    external: ["@aws-sdk/*"],
    write: false,
    outfile: "index.mjs",
    legalComments: "none",
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error("esbuild produced no output for the SecureStringParameter provider");
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  const dir = join(outRoot, `secure-string-parameter-${hash}`);
  if (!existsSync(join(dir, "index.mjs"))) {
    // Write beside, then rename: a concurrent synth never sees a half-written file.
    const staging = `${dir}.${process.pid}.tmp`;
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, "index.mjs"), code);
    try {
      renameSync(staging, dir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(dir, "index.mjs"))) throw error;
    }
  }
  return dir;
}
