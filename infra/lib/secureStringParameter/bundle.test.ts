// The provider bundle: one ESM file exporting `handler`, AWS SDK left to the Lambda runtime.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleProviderHandler } from "./bundle.js";

describe("bundleProviderHandler", () => {
  it("writes index.mjs exporting handler, importing the SDK instead of bundling it", () => {
    const dir = bundleProviderHandler(mkdtempSync(join(tmpdir(), "furl-kit-bundle-test-")));
    const code = readFileSync(join(dir, "index.mjs"), "utf8");
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
    expect(code).toMatch(/from\s*"@aws-sdk\/client-ssm"/);
    expect(code).toMatch(/from\s*"@aws-sdk\/client-cognito-identity-provider"/);
    expect(code).not.toContain("class SSMClient");
  });

  it("reuses the same content-addressed folder for the same code", () => {
    const root = mkdtempSync(join(tmpdir(), "furl-kit-bundle-test-"));
    expect(bundleProviderHandler(root)).toBe(bundleProviderHandler(root));
  });
});
