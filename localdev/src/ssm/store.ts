// Parameter Store state: names, types, values and versions, with time from an injected clock.
import { randomBytes } from "node:crypto";
import type { Clock } from "../shared/clock.js";
import { ParameterAlreadyExistsError, ParameterNotFoundError, ValidationError } from "./errors.js";

export type ParameterType = "String" | "StringList" | "SecureString";

export const PARAMETER_TYPES: readonly ParameterType[] = ["String", "StringList", "SecureString"];

/** One parameter as stored; `value` is plaintext, so only hand it out through `get()`. */
export interface StoredParameter {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
  /** Epoch milliseconds of the last write. */
  lastModified: number;
  /** What GetParameter shows for a SecureString read without decryption. */
  ciphertext: string;
}

/** A parameter without its value: safe to print or list on a control endpoint. */
export interface ParameterSummary {
  name: string;
  type: ParameterType;
  version: number;
  lastModified: number;
}

export interface PutInput {
  name: string;
  value: string;
  /** Required when the parameter is new; an overwrite keeps the old type when omitted. */
  type?: ParameterType;
  overwrite?: boolean;
}

/** What the store keeps on disk: every parameter, and which of them the template owns. */
export interface StoreSnapshot {
  parameters: StoredParameter[];
  templateNames: string[];
}

export class ParameterStore {
  private readonly parameters = new Map<string, StoredParameter>();
  /** Names the template declares (AWS::SSM::Parameter): CloudFormation's to change, unlike API-written ones. */
  private templateNames = new Set<string>();

  /** @param onChange called after every write (the emulator saves the store then) */
  constructor(
    private readonly clock: Clock,
    private readonly onChange: (snapshot: StoreSnapshot) => void = () => {},
    initial?: StoreSnapshot,
  ) {
    for (const p of initial?.parameters ?? []) this.parameters.set(p.name, p);
    this.templateNames = new Set(initial?.templateNames ?? []);
  }

  private changed(): void {
    this.onChange({ parameters: [...this.parameters.values()], templateNames: [...this.templateNames] });
  }

  /**
   * Makes the template's parameters what it says, as a stack update does: new and changed ones are written (a
   * new version), the ones it no longer declares are deleted; parameters written through the API stay.
   */
  applyTemplate(parameters: { name: string; value: string; type: ParameterType }[]): void {
    const next = new Set(parameters.map((p) => p.name));
    for (const name of this.templateNames) if (!next.has(name)) this.parameters.delete(name);
    for (const p of parameters) {
      const existing = this.parameters.get(p.name);
      if (existing && existing.value === p.value && existing.type === p.type) continue;
      this.write({ ...p, overwrite: true });
    }
    this.templateNames = next;
    this.changed();
  }

  /** Creates or overwrites a parameter; returns the new version. */
  put(input: PutInput): number {
    const version = this.write(input);
    this.changed();
    return version;
  }

  private write(input: PutInput): number {
    const existing = this.parameters.get(input.name);
    if (existing && !input.overwrite) throw new ParameterAlreadyExistsError();
    const type = input.type ?? existing?.type;
    if (!type) throw new ValidationError("A parameter type is required when you create a parameter.");
    const version = (existing?.version ?? 0) + 1;
    this.parameters.set(input.name, {
      name: input.name,
      type,
      value: input.value,
      version,
      lastModified: this.clock.now(),
      ciphertext: type === "SecureString" ? fakeCiphertext() : "",
    });
    return version;
  }

  get(name: string): StoredParameter | undefined {
    return this.parameters.get(name);
  }

  delete(name: string): void {
    if (!this.parameters.delete(name)) throw new ParameterNotFoundError(name);
    this.changed();
  }

  /** Forgets every parameter. */
  clear(): void {
    this.parameters.clear();
    this.templateNames.clear();
    this.changed();
  }

  /** Every parameter, sorted by name, without values. */
  list(): ParameterSummary[] {
    return [...this.parameters.values()]
      .sort(byName)
      .map(({ name, type, version, lastModified }) => ({ name, type, version, lastModified }));
  }

  /** Full records for the path operations; internal to the emulator. */
  all(): StoredParameter[] {
    return [...this.parameters.values()].sort(byName);
  }
}

// Code-unit order, so paging tokens can compare names with `>`.
function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

// Looks like a KMS envelope (base64, "AQICAH" prefix) but carries no trace of the plaintext.
function fakeCiphertext(): string {
  return `AQICAH${randomBytes(96).toString("base64")}`;
}
