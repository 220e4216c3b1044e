// The deployed asset is bundled from the current handler source at synth time: an edit is a new asset.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, describe, expect, it } from "vitest";
import { LAMBDA_DIR } from "../../lambda/build.js";
import { bundledHandlerCode } from "./api.js";

// The copy sits under lambda/dist so the bundle's packages resolve from the repo's node_modules; it keeps the
// repo's layout (lambda/src next to infra/lib/constants.ts, which the handler imports).
mkdirSync(join(LAMBDA_DIR, "dist"), { recursive: true });
const copyRoot = mkdtempSync(join(LAMBDA_DIR, "dist", "asset-test-"));
const copy = join(copyRoot, "lambda");
cpSync(join(LAMBDA_DIR, "src"), join(copy, "src"), { recursive: true });
const constants = join(LAMBDA_DIR, "..", "infra", "lib", "constants.ts");
mkdirSync(join(copyRoot, "infra", "lib"), { recursive: true });
cpSync(constants, join(copyRoot, "infra", "lib", "constants.ts"));
afterAll(() => rmSync(copyRoot, { recursive: true, force: true }));

/** Synthesizes a function from the copy; returns its S3 key and the bundled code CDK staged. */
function synthAsset(): { key: string; code: string } {
  const outdir = mkdtempSync(join(tmpdir(), "furl-kit-asset-"));
  try {
    const app = new App({ outdir, context: { "aws:cdk:enable-asset-metadata": true } });
    const stack = new Stack(app, "S");
    new lambda.Function(stack, "F", {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: "index.handler",
      code: bundledHandlerCode(copy),
    });
    const assembly = app.synth();
    const template = assembly.getStackByName("S").template as {
      Resources: Record<
        string,
        { Type: string; Metadata?: Record<string, string>; Properties: { Code: { S3Key: string } } }
      >;
    };
    const fn = Object.values(template.Resources).find((r) => r.Type === "AWS::Lambda::Function")!;
    const code = readFileSync(join(outdir, fn.Metadata!["aws:asset:path"]!, "index.mjs"), "utf8");
    return { key: fn.Properties.Code.S3Key, code };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("Function: bundledHandlerCode", () => {
  it("bundles the handler source at synth time, so editing it changes the synthesized asset", {
    timeout: 60_000,
  }, () => {
    const before = synthAsset();
    expect(before.code).toContain("Not authorized");
    const errors = join(copy, "src", "errors.ts");
    writeFileSync(
      errors,
      readFileSync(errors, "utf8").replaceAll("Not authorized", "Edited since the last synth"),
    );
    const after = synthAsset();
    expect(after.key).not.toBe(before.key);
    expect(after.code).toContain("Edited since the last synth");
    expect(after.code).not.toContain("Not authorized");
    // Same source, same asset: a synth without edits does not re-upload.
    expect(synthAsset().key).toBe(after.key);
  });
});
