// Finds and reads the synthesized CloudFormation template of the stack in cdk.out.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TemplateResolveError } from "./intrinsics.js";

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
}

export interface SynthesizedStack {
  stackName: string;
  templatePath: string;
  /** The cloud assembly folder; asset paths in metadata are relative to it. */
  assemblyDir: string;
  template: CfnTemplate;
  region: string;
}

interface Manifest {
  artifacts?: Record<
    string,
    { type: string; environment?: string; properties?: { templateFile?: string; stackName?: string } }
  >;
}

/** Reads `<assemblyDir>/manifest.json` and returns the stack named `stackName` (or the only stack). */
export function readSynthesizedStack(assemblyDir: string, stackName?: string): SynthesizedStack {
  const manifestPath = join(assemblyDir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new TemplateResolveError(`No synthesized app in ${assemblyDir}: run \`npm run synth\` first.`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  const stacks = Object.entries(manifest.artifacts ?? {}).filter(
    ([, artifact]) => artifact.type === "aws:cloudformation:stack",
  );
  const found = stackName
    ? stacks.find(([id, artifact]) => id === stackName || artifact.properties?.stackName === stackName)
    : stacks.length === 1
      ? stacks[0]
      : undefined;
  if (!found) {
    const names = stacks.map(([id]) => id).join(", ") || "none";
    throw new TemplateResolveError(
      `Stack ${stackName ?? "(only one expected)"} not found in ${assemblyDir}; stacks: ${names}`,
    );
  }
  const [id, artifact] = found;
  const templatePath = join(assemblyDir, artifact.properties?.templateFile ?? `${id}.template.json`);
  let template: CfnTemplate;
  try {
    template = JSON.parse(readFileSync(templatePath, "utf8")) as CfnTemplate;
  } catch (error) {
    throw new TemplateResolveError(`Template ${templatePath} is unreadable: ${(error as Error).message}`);
  }
  if (!template || typeof template.Resources !== "object") {
    throw new TemplateResolveError(`Template ${templatePath} has no Resources section`);
  }
  const region = /aws:\/\/[^/]+\/([a-z0-9-]+)/.exec(artifact.environment ?? "")?.[1];
  return {
    stackName: artifact.properties?.stackName ?? id,
    templatePath,
    assemblyDir,
    template,
    region: region && region !== "unknown-region" ? region : "us-east-1",
  };
}
