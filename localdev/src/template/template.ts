// Finds and reads the synthesized CloudFormation templates of the app in cdk.out, and the template-level
// semantics every resolver scope shares: Parameters (defaults), Conditions, Mappings, pseudo parameters and
// the Exports that `Fn::ImportValue` reads across the stacks of one cloud assembly.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ResolveScope, resolveValue, TemplateResolveError } from "./intrinsics.js";

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
}

export interface CfnParameter {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  Description?: string;
  NoEcho?: boolean | string;
}

export interface CfnOutput {
  Value: unknown;
  Description?: string;
  Condition?: string;
  Export?: { Name: unknown };
}

export interface CfnTemplate {
  Parameters?: Record<string, CfnParameter>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
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

/** Every stack of the cloud assembly in `assemblyDir`, in manifest order. */
export function readAssemblyStacks(assemblyDir: string): SynthesizedStack[] {
  return stackArtifacts(assemblyDir).map(([id, artifact]) => loadStack(assemblyDir, id, artifact));
}

/** Reads `<assemblyDir>/manifest.json` and returns the stack named `stackName` (or the only stack). */
export function readSynthesizedStack(assemblyDir: string, stackName?: string): SynthesizedStack {
  const stacks = stackArtifacts(assemblyDir);
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
  return loadStack(assemblyDir, found[0], found[1]);
}

type Artifact = NonNullable<Manifest["artifacts"]>[string];

function stackArtifacts(assemblyDir: string): [string, Artifact][] {
  const manifestPath = join(assemblyDir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new TemplateResolveError(`No synthesized app in ${assemblyDir}: run \`npm run synth\` first.`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  return Object.entries(manifest.artifacts ?? {}).filter(
    ([, artifact]) => artifact.type === "aws:cloudformation:stack",
  );
}

function loadStack(assemblyDir: string, id: string, artifact: Artifact): SynthesizedStack {
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

/** What the pseudo parameters of a stack resolve to locally. */
export interface StackIdentity {
  stackName: string;
  region: string;
  accountId: string;
}

/** `Ref` of a pseudo parameter (`AWS::Region`, ...); undefined for any other name. */
export function pseudoParameter(
  name: string,
  { stackName, region, accountId }: StackIdentity,
): string | undefined {
  switch (name) {
    case "AWS::Region":
      return region;
    case "AWS::AccountId":
      return accountId;
    case "AWS::StackName":
      return stackName;
    case "AWS::Partition":
      return region.startsWith("cn-") ? "aws-cn" : "aws";
    case "AWS::URLSuffix":
      return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    case "AWS::StackId":
      return `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/local`;
    case "AWS::NotificationARNs":
      return undefined;
  }
  return undefined;
}

const LIST_TYPE = /^(CommaDelimitedList|List<.+>)$/;

/**
 * `Ref` of a template parameter: the given value, else its `Default`. Undefined when `name` is no parameter.
 * List types resolve to a list (members space-trimmed, as CloudFormation does), the others to a string.
 * @throws TemplateResolveError for a parameter without a value, a value outside AllowedValues, or an SSM-typed
 *   parameter (CloudFormation reads those from the account's Parameter Store at deploy time).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 */
export function parameterValue(
  template: CfnTemplate,
  name: string,
  given: Record<string, string> = {},
): string | string[] | undefined {
  const parameter = template.Parameters?.[name];
  if (!parameter || !Object.hasOwn(template.Parameters!, name)) return undefined;
  const raw = Object.hasOwn(given, name) ? given[name] : parameter.Default;
  if (raw === undefined || raw === null) {
    throw new TemplateResolveError(
      `Parameter ${name} (${parameter.Type}) has no Default and no value was given; give the stack one`,
    );
  }
  if (parameter.Type.startsWith("AWS::SSM::Parameter::Value<")) {
    throw new TemplateResolveError(
      `Parameter ${name} is read from SSM parameter ${String(raw)} of the account at deploy time; not available locally`,
    );
  }
  const value = String(raw);
  if (LIST_TYPE.test(parameter.Type)) return value === "" ? [] : value.split(",").map((item) => item.trim());
  if (parameter.AllowedValues && !parameter.AllowedValues.map(String).includes(value)) {
    throw new TemplateResolveError(
      `Parameter ${name}: ${JSON.stringify(value)} is not one of AllowedValues ${JSON.stringify(parameter.AllowedValues)}`,
    );
  }
  return value;
}

/**
 * Evaluates the template's named conditions (each at most once), through `scope` for what they reference.
 * @throws TemplateResolveError for an unknown or circular condition, or one that is not a boolean.
 */
export function conditionEvaluator(
  template: CfnTemplate,
  scope: () => ResolveScope,
): (name: string) => boolean {
  const values = new Map<string, boolean>();
  const evaluating = new Set<string>();
  return (name) => {
    const known = values.get(name);
    if (known !== undefined) return known;
    const conditions = template.Conditions ?? {};
    if (!Object.hasOwn(conditions, name)) throw new TemplateResolveError(`Unknown condition ${name}`);
    if (evaluating.has(name)) throw new TemplateResolveError(`Condition ${name} refers to itself`);
    evaluating.add(name);
    try {
      const value = resolveValue(conditions[name], scope(), `Conditions.${name}`);
      if (typeof value !== "boolean") {
        throw new TemplateResolveError(`Condition ${name} is ${JSON.stringify(value)}, not a condition`);
      }
      values.set(name, value);
      return value;
    } finally {
      evaluating.delete(name);
    }
  };
}

/** The `Mappings` entry `name` of a template (own keys only). */
export function mappingOf(template: CfnTemplate, name: string) {
  const mappings = template.Mappings ?? {};
  return Object.hasOwn(mappings, name) ? mappings[name] : undefined;
}

/**
 * A scope for a stack's template alone: pseudo parameters, parameter defaults, conditions and mappings;
 * resources are not available (for a stack the kit does not run, e.g. the exporter of an `Fn::ImportValue`).
 */
export function templateOnlyScope(stack: SynthesizedStack, accountId: string): ResolveScope {
  const identity = { stackName: stack.stackName, region: stack.region, accountId };
  const notRun = (id: string): never => {
    throw new TemplateResolveError(
      `${id} is a resource of stack ${stack.stackName}, which the kit does not run (start it with --stack ${stack.stackName})`,
    );
  };
  const scope: ResolveScope = {
    ref(id) {
      const value = pseudoParameter(id, identity) ?? parameterValue(stack.template, id);
      if (value !== undefined) return value as string;
      if (Object.hasOwn(stack.template.Resources, id)) return notRun(id);
      return undefined;
    },
    getAtt: (id) => notRun(id),
    dynamicReference(service, reference) {
      throw new TemplateResolveError(
        `{{resolve:${service}:${reference}}} in stack ${stack.stackName} is not available locally`,
      );
    },
    condition: conditionEvaluator(stack.template, () => scope),
    mapping: (name) => mappingOf(stack.template, name),
  };
  return scope;
}

/** One export of a stack of the assembly: its name, the stack, and its (unresolved) value. */
export interface AssemblyExport {
  name: string;
  stackName: string;
  output: string;
  value: unknown;
}

/**
 * The exports of every stack but `exceptStack` (the one the kit runs), by export name. Export names are
 * resolved with each exporter's template-only scope (CDK writes them as literals or `${AWS::StackName}:...`).
 */
export function assemblyExports(
  stacks: SynthesizedStack[],
  exceptStack: string,
  accountId: string,
): Map<string, AssemblyExport> {
  const exports = new Map<string, AssemblyExport>();
  for (const stack of stacks) {
    if (stack.stackName === exceptStack) continue;
    const scope = templateOnlyScope(stack, accountId);
    for (const [output, entry] of Object.entries(stack.template.Outputs ?? {})) {
      if (!entry.Export) continue;
      if (entry.Condition && !scope.condition(entry.Condition)) continue;
      const name = String(resolveValue(entry.Export.Name, scope, `${stack.stackName}.Outputs.${output}`));
      exports.set(name, { name, stackName: stack.stackName, output, value: entry.Value });
    }
  }
  return exports;
}

/**
 * The `importValue` hook of a ResolveScope: finds the export among the other stacks and resolves its value
 * in the exporter's scope (by default template-only: a literal, parameter, mapping or condition value
 * resolves, one naming the exporter's resources says which stack to run).
 */
export function importValueFrom(
  exports: Map<string, AssemblyExport>,
  stacks: SynthesizedStack[],
  accountId: string,
  scopeOf: (stack: SynthesizedStack) => ResolveScope = (stack) => templateOnlyScope(stack, accountId),
): (name: string) => unknown {
  return (name) => {
    const found = exports.get(name);
    if (!found) return undefined;
    const stack = stacks.find((s) => s.stackName === found.stackName)!;
    return resolveValue(found.value, scopeOf(stack), `${found.stackName}.Outputs.${found.output}`);
  };
}

/**
 * The `importValue` hook for `stack`: reads the other stacks of its cloud assembly on first use (a stack read
 * from a lone template file has none, so every import is unknown).
 */
export function importValueForStack(stack: SynthesizedStack, accountId: string): (name: string) => unknown {
  let lookup: ((name: string) => unknown) | undefined;
  return (name) => {
    if (!lookup) {
      const stacks = existsSync(join(stack.assemblyDir, "manifest.json"))
        ? readAssemblyStacks(stack.assemblyDir)
        : [];
      lookup = importValueFrom(assemblyExports(stacks, stack.stackName, accountId), stacks, accountId);
    }
    return lookup(name);
  };
}
