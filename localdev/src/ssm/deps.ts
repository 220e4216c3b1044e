// What every SSM operation may depend on; each operation picks the part it needs.
import type { Clock } from "../shared/clock.js";
import type { ParameterStore } from "./store.js";

export interface SsmDeps {
  store: ParameterStore;
  clock: Clock;
  region: string;
  accountId: string;
  /** Resolves `/aws/reference/secretsmanager/<id>`; undefined when the secret does not exist. */
  secrets?: (secretId: string) => string | undefined;
}

/** An operation: takes the parsed JSON request, returns the JSON response. */
export type Operation = (request: Record<string, unknown>) => unknown;
