// The kit's state folder: how it is recognised, and `--fresh`, which removes what the kit wrote and nothing else.
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Written into every state folder the kit uses, so `--fresh` can tell it from any other folder. */
export const STATE_MARKER = ".furl-kit-state";

// What the kit writes at the top of the folder; `localstack/` is the LocalStack target's own state.
const KIT_FILES = new Set(["deployment.json", "endpoints.json", STATE_MARKER]);
const KIT_FOLDERS = new Set(["cognito", "localstack"]);
// writeJsonFileAtomic's temporary files (`<file>.<pid>.<random>.tmp`), left behind by a crash mid-write.
const TEMP_FILE = /\.json\.\d+\.[a-z0-9]+\.tmp$/;
// One file per user pool in cognito/, e.g. `us-east-1_AbC123xyZ.json`.
const POOL_FILE = /^[\w-]+\.json$/;

export class NotAStateFolderError extends Error {
  constructor(readonly dir: string) {
    super(
      `${dir} is not a furl-kit state folder (it has no ${STATE_MARKER} and holds files the kit did not write), ` +
        "so --fresh leaves it alone. Choose an empty or new folder with --state-dir.",
    );
    this.name = "NotAStateFolderError";
  }
}

/** True when `dir` is missing, empty, marked by the kit, or holds only what the kit writes. */
export function isStateFolder(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) return false;
  const entries = readdirSync(dir);
  if (entries.includes(STATE_MARKER)) return true;
  return entries.every((name) => KIT_FILES.has(name) || KIT_FOLDERS.has(name) || TEMP_FILE.test(name));
}

/**
 * Makes `dir` ready for the kit. With `fresh`, first removes the users, keys and ids the kit keeps there
 * (`deployment.json`, `endpoints.json`, `cognito/<pool>.json`) and refuses any folder that is not one of
 * its own: `--state-dir . --fresh` must never delete a project.
 */
export function prepareStateDir(dir: string, options: { fresh?: boolean } = {}): void {
  const own = isStateFolder(dir);
  if (options.fresh) {
    if (!own) throw new NotAStateFolderError(dir);
    clearKitState(dir);
  }
  mkdirSync(dir, { recursive: true });
  if (own && !existsSync(join(dir, STATE_MARKER))) {
    writeFileSync(
      join(dir, STATE_MARKER),
      "furl-kit keeps users, keys and ids here. `npm start -- --fresh` removes what it wrote.\n",
    );
  }
}

function clearKitState(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if ((KIT_FILES.has(name) && name !== STATE_MARKER) || TEMP_FILE.test(name)) rmSync(join(dir, name));
  }
  const cognito = join(dir, "cognito");
  if (!existsSync(cognito)) return;
  for (const name of readdirSync(cognito)) {
    if (POOL_FILE.test(name) || TEMP_FILE.test(name)) rmSync(join(cognito, name));
  }
  if (readdirSync(cognito).length === 0) rmdirSync(cognito);
}
