// Public API of the SSM Parameter Store emulator.
import type { RequestListener } from "node:http";
import { LOCAL_ACCOUNT_ID } from "../shared/account.js";
import { type Clock, systemClock } from "../shared/clock.js";
import { type Logger, silentLogger } from "../shared/log.js";
import { readJsonFile, writeJsonFileAtomic } from "../shared/stateFile.js";
import { createSsmRouter } from "./router.js";
import { ParameterStore, type StoreSnapshot } from "./store.js";

export type { ParameterSummary, ParameterType, PutInput, StoredParameter } from "./store.js";
export { ParameterStore } from "./store.js";

export interface SsmEmulatorOptions {
  region: string;
  /** Defaults to LOCAL_ACCOUNT_ID. */
  accountId?: string;
  clock?: Clock;
  log?: Logger;
  /** Resolves `/aws/reference/secretsmanager/<secret-id>` names; undefined = no such secret. */
  secrets?: (secretId: string) => string | undefined;
  /**
   * Keeps the parameters in this file across restarts (as a deployed stack keeps what its custom resources and
   * functions wrote); in memory only when absent.
   */
  stateFile?: string;
}

export interface SsmEmulator {
  /** Mount on an HTTP server (e.g. `listen(handler, 0, "ssm")`) and point `AWS_ENDPOINT_URL_SSM` at it. */
  handler: RequestListener;
  store: ParameterStore;
}

/**
 * Creates the Parameter Store emulator (AWS JSON 1.1): GetParameter, GetParameters, GetParametersByPath,
 * PutParameter, DeleteParameter. Other operations answer 501 `FurlKit#NotEmulated`.
 */
export function createSsmEmulator(options: SsmEmulatorOptions): SsmEmulator {
  const clock = options.clock ?? systemClock;
  const { stateFile } = options;
  const store = stateFile
    ? new ParameterStore(
        clock,
        (snapshot) => writeJsonFileAtomic(stateFile, snapshot),
        readJsonFile<StoreSnapshot | undefined>(stateFile, undefined),
      )
    : new ParameterStore(clock);
  const handler = createSsmRouter(
    {
      store,
      clock,
      region: options.region,
      accountId: options.accountId ?? LOCAL_ACCOUNT_ID,
      secrets: options.secrets,
    },
    options.log ?? silentLogger,
  );
  return { handler, store };
}
