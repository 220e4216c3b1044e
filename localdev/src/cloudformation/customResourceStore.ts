// What each custom resource's provider last answered, kept in the state folder so a restart neither creates it
// again nor loses its Ref and Fn::GetAtt values (CloudFormation keeps them with the stack).
import { join } from "node:path";
import { readJsonFile, writeJsonFileAtomic } from "../shared/stateFile.js";
import type { CustomResourceOutcome } from "../template/stackView.js";

export interface CustomResourceRecord extends CustomResourceOutcome {
  type: string;
  serviceToken: string;
  /** `NoEcho` of the answer: the console and outputs mask its Data. */
  noEcho: boolean;
  /** The ResourceProperties sent last (as the provider received them), to tell an Update from no change. */
  properties: Record<string, unknown>;
}

/** A provider that failed the last time it ran, or a resource that could not be sent to one. */
export interface CustomResourceFailure {
  logicalId: string;
  type: string;
  requestType: "Create" | "Update" | "Delete";
  reason: string;
}

export class CustomResourceStore {
  private readonly path: string;
  private records: Record<string, CustomResourceRecord>;

  constructor(stateDir: string) {
    this.path = join(stateDir, "custom-resources.json");
    this.records = readJsonFile<Record<string, CustomResourceRecord>>(this.path, {});
  }

  get(logicalId: string): CustomResourceRecord | undefined {
    return Object.hasOwn(this.records, logicalId) ? this.records[logicalId] : undefined;
  }

  ids(): string[] {
    return Object.keys(this.records);
  }

  set(logicalId: string, record: CustomResourceRecord): void {
    this.records[logicalId] = record;
    this.save();
  }

  delete(logicalId: string): void {
    delete this.records[logicalId];
    this.save();
  }

  private save(): void {
    writeJsonFileAtomic(this.path, this.records);
  }
}
