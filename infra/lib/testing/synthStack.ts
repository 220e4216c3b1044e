// Test helper: synthesizes FurlKitStack offline with placeholder build folders in a temp dir.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type IPolicyValidationPlugin, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { cdkJsonContext } from "../cdkJsonContext.js";
import { STRICT_VALIDATION_CONTEXT } from "../constants.js";
import { FurlKitStack, type FurlKitStackProps } from "../furlKitStack.js";
import type { LocalIdentity } from "../settings.js";

export interface SynthResult {
  stack: FurlKitStack;
  template: Template;
  /** The whole template as JSON text, for "never appears" scans. */
  json: string;
}

/** Identity values as the LocalStack deploy would pass them (`-c localIdentity=...`), for synthesizing that target. */
export const SAMPLE_LOCAL_IDENTITY: LocalIdentity = {
  cognitoDomainUrl: "http://furl-kit:3001",
  clientId: "4vq1h3l6ck9a0mtrb7d2h5e8ff",
  userPoolId: "us-east-1_AbC123xyZ",
  jwksUri: "http://furl-kit:3001/us-east-1_AbC123xyZ/.well-known/jwks.json",
  redirectUri: "http://localhost:3000/",
};

/** Placeholder lambda/dist/api and web/dist folders; the stack only needs them to exist. */
export function placeholderBuilds(): { apiCodeDir: string; siteDir: string } {
  const root = mkdtempSync(join(tmpdir(), "furl-kit-infra-test-"));
  const apiCodeDir = join(root, "api");
  const siteDir = join(root, "site");
  mkdirSync(apiCodeDir);
  mkdirSync(siteDir);
  writeFileSync(join(apiCodeDir, "index.mjs"), "export const handler = async () => ({ statusCode: 200 });\n");
  writeFileSync(join(siteDir, "index.html"), "<!doctype html><title>furl-kit</title>\n");
  return { apiCodeDir, siteDir };
}

/**
 * Synthesizes the stack in us-east-1 with the given props (placeholder builds unless given).
 * @param validate run CDK's built-in CloudFormation validation (about 10 s the first time in a process)
 * @param plugins policy validation plugins run at synth (e.g. cdk-nag rule packs); a finding fails the synth
 */
export function synthStack(
  props: FurlKitStackProps = {},
  validate = false,
  plugins: (app: App) => IPolicyValidationPlugin[] = () => [],
): SynthResult {
  const app = new App({
    // The feature flags `cdk synth` applies, so the assertions check the template that is deployed.
    context: cdkJsonContext(),
    outdir: mkdtempSync(join(tmpdir(), "furl-kit-cdk-out-")),
    builtinCloudFormationValidation: validate,
    // Findings fail the synth instead of printing warnings (as in bin/app.ts).
    postCliContext: { [STRICT_VALIDATION_CONTEXT]: true },
  });
  const stack = new FurlKitStack(app, "FurlKit", {
    env: { region: "us-east-1" },
    ...placeholderBuilds(),
    ...props,
  });
  Validations.of(app).addPlugins(...plugins(app));
  const template = Template.fromStack(stack);
  return { stack, template, json: JSON.stringify(template.toJSON()) };
}
