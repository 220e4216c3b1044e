// Physical ids in AWS formats for the resources the kit stands up, kept stable across restarts.
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { readJsonFile, writeJsonFileAtomic } from "../shared/stateFile.js";

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** `length` characters drawn uniformly from `alphabet`. */
export function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const byte = bytes[i]!;
    // Rejection sampling keeps the distribution uniform.
    if (byte < 256 - (256 % alphabet.length)) out += alphabet[byte % alphabet.length];
  }
  return out.length === length ? out : randomString(alphabet, length);
}

export const newFunctionUrlId = () => randomString(LOWER_ALNUM, 32);
export const newDistributionId = () => `E${randomString(UPPER_ALNUM, 13)}`;
export const newDistributionDomain = () => `d${randomString(LOWER_ALNUM, 13)}.cloudfront.net`;
export const newAmplifyAppId = () => `d${randomString(LOWER_ALNUM, 13)}`;
export const newSecretValue = (length = 32) =>
  randomString(`${LOWER_ALNUM}ABCDEFGHIJKLMNOPQRSTUVWXYZ`, length);
export const newUuid = () => randomUUID();

/** One persisted record per logical id: the physical id plus whatever attributes were generated with it. */
export interface PhysicalRecord {
  type: string;
  id: string;
  attributes: Record<string, string>;
}

/** The ids a local deployment handed out, saved in `<stateDir>/deployment.json`. */
export class PhysicalIdStore {
  private readonly path: string;
  private readonly records: Record<string, PhysicalRecord>;

  constructor(stateDir: string) {
    this.path = join(stateDir, "deployment.json");
    this.records = readJsonFile<{ resources: Record<string, PhysicalRecord> }>(this.path, {
      resources: {},
    }).resources;
  }

  /** The record for `logicalId`, created with `create` the first time (or when its type changed). */
  ensure(logicalId: string, type: string, create: () => Omit<PhysicalRecord, "type">): PhysicalRecord {
    const existing = this.records[logicalId];
    if (existing && existing.type === type) return existing;
    const record = { type, ...create() };
    this.records[logicalId] = record;
    return record;
  }

  get(logicalId: string): PhysicalRecord | undefined {
    return this.records[logicalId];
  }

  save(): void {
    writeJsonFileAtomic(this.path, { resources: this.records });
  }
}
