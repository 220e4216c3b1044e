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

export class ParameterStore {
  private readonly parameters = new Map<string, StoredParameter>();

  constructor(private readonly clock: Clock) {}

  /** Creates or overwrites a parameter; returns the new version. */
  put(input: PutInput): number {
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
  }

  /** Forgets every parameter (for re-seeding after the template changes). */
  clear(): void {
    this.parameters.clear();
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
