// A function's runtime settings, read from the resolved AWS::Lambda::Function properties of the template.
import type { HostRouting } from "../gateway/gateway.js";

/** What the runtime needs to run one function; built by `functionConfigFromTemplate`. */
export interface FunctionConfig {
  name: string;
  /** Folder holding the bundled asset (`index.mjs`), the same one `cdk deploy` uploads. */
  codeDir: string;
  /** `<file>.<export>`, e.g. `index.handler`. */
  handler: string;
  /** e.g. `nodejs22.x`; only Node.js runtimes are emulated. */
  runtime: string;
  /** Template variables plus the kit's extras (endpoints, credentials). */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySizeMb: number;
  /** Parallel instances; from ReservedConcurrentExecutions, else one per core (2 to 10). Zero throttles every request. */
  maxConcurrency?: number;
  /** Defaults to the environment's AWS_REGION, else us-east-1. */
  region?: string;
  /** For invokedFunctionArn; defaults to LOCAL_ACCOUNT_ID. */
  accountId?: string;
  /** AWS host names the function's process sends to the kit's gateway (see awsHostRouting.mjs). */
  hostRouting?: HostRouting;
}

// Lambda's defaults when the template leaves them out.
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

/**
 * Builds a FunctionConfig from resolved `AWS::Lambda::Function` Properties.
 * `extraEnvironment` wins over the template (it carries the kit's endpoints and credentials).
 * @throws Error naming the property when the template holds something the kit cannot use.
 */
export function functionConfigFromTemplate(input: {
  name: string;
  codeDir: string;
  properties: Record<string, unknown>;
  extraEnvironment: Record<string, string>;
  region?: string;
}): FunctionConfig {
  const { properties: p, name } = input;
  const handler = p.Handler;
  const runtime = p.Runtime;
  if (typeof handler !== "string") throw new Error(`Function ${name}: Handler must be a string.`);
  if (typeof runtime !== "string") throw new Error(`Function ${name}: Runtime must be a string.`);
  const reserved = optionalNumber(p.ReservedConcurrentExecutions, name, "ReservedConcurrentExecutions");
  return {
    name,
    codeDir: input.codeDir,
    handler,
    runtime,
    environment: { ...templateVariables(p.Environment, name), ...input.extraEnvironment },
    timeoutSeconds: optionalNumber(p.Timeout, name, "Timeout") ?? DEFAULT_TIMEOUT_SECONDS,
    memorySizeMb: optionalNumber(p.MemorySize, name, "MemorySize") ?? DEFAULT_MEMORY_MB,
    ...(reserved !== undefined ? { maxConcurrency: reserved } : {}),
    ...(input.region ? { region: input.region } : {}),
  };
}

function optionalNumber(value: unknown, fn: string, key: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
    throw new Error(`Function ${fn}: ${key} must be a non-negative number, got ${JSON.stringify(value)}.`);
  }
  return n;
}

function templateVariables(environment: unknown, fn: string): Record<string, string> {
  if (environment === undefined || environment === null) return {};
  const variables = (environment as { Variables?: unknown }).Variables;
  if (variables === undefined) return {};
  if (typeof variables !== "object" || variables === null) {
    throw new Error(`Function ${fn}: Environment.Variables must be an object.`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    // An object here is an intrinsic the template resolver left unresolved; passing "[object Object]" would hide it.
    if (typeof value === "object" && value !== null) {
      throw new Error(`Function ${fn}: environment variable ${key} is unresolved: ${JSON.stringify(value)}.`);
    }
    out[key] = String(value);
  }
  return out;
}

/** Lambda's region for a function: explicit, else the environment's, else us-east-1. */
export function functionRegion(config: FunctionConfig): string {
  return config.region ?? config.environment.AWS_REGION ?? "us-east-1";
}
