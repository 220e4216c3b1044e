// Every function of the stack, runnable by name or ARN: what Cognito triggers, custom resources and Lambda's
// Invoke API call (Function URLs run theirs in threads of their own). A runtime starts on the first invocation.
import type { FunctionConfig } from "./config.js";
import {
  createFunctionRuntime,
  type FunctionRuntime,
  type InvokeResult,
  type RuntimeDeps,
} from "./runtime.js";

export interface StackFunction {
  logicalId: string;
  /** The function name (its Ref). */
  name: string;
  /** `arn:aws:lambda:<region>:<account>:function:<name>` */
  arn: string;
  config: FunctionConfig;
}

interface Entry extends StackFunction {
  runtime?: FunctionRuntime;
  configJson: string;
}

/**
 * A function reference as Lambda's APIs take it: a name, `name:qualifier`, a partial ARN
 * (`<account>:function:<name>`) or a full ARN, with or without a qualifier.
 * The kit runs $LATEST only: every qualifier resolves to it.
 */
export function functionNameOf(ref: string): string {
  const parts = ref.split(":");
  if (ref.startsWith("arn:")) return parts[6] ?? "";
  const at = parts.indexOf("function");
  if (at >= 0) return parts[at + 1] ?? "";
  return parts[0] ?? "";
}

export class StackFunctions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly deps: RuntimeDeps = {}) {}

  /** Takes the stack's functions: new ones are added, changed ones reload (next invocation cold), gone ones stop. */
  configure(functions: StackFunction[]): void {
    const next = new Set(functions.map((f) => f.name));
    for (const [name, entry] of this.entries) {
      if (next.has(name)) continue;
      void entry.runtime?.close();
      this.entries.delete(name);
    }
    for (const f of functions) {
      const configJson = JSON.stringify(f.config);
      const entry = this.entries.get(f.name);
      if (!entry) {
        this.entries.set(f.name, { ...f, configJson });
        continue;
      }
      if (entry.configJson === configJson) continue;
      Object.assign(entry, f, { configJson });
      entry.runtime?.reload(f.config);
    }
  }

  find(ref: string): StackFunction | undefined {
    return this.entries.get(functionNameOf(ref));
  }

  has(ref: string): boolean {
    return this.find(ref) !== undefined;
  }

  list(): StackFunction[] {
    return [...this.entries.values()];
  }

  /** Invokes the function synchronously; an unknown one answers Lambda's ResourceNotFoundException (404). */
  invoke(ref: string, payload: unknown): Promise<InvokeResult> {
    const entry = this.entries.get(functionNameOf(ref));
    if (!entry) {
      return Promise.resolve({
        ok: false,
        errorType: "ResourceNotFoundException",
        errorMessage: `Function not found: ${ref}`,
        status: 404,
        requestId: "",
      });
    }
    entry.runtime ??= createFunctionRuntime(entry.config, this.deps);
    return entry.runtime.invoke(payload);
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.runtime?.close()));
    this.entries.clear();
  }
}
