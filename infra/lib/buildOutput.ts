// Checks that a build output the stack deploys exists, with a message naming the command that makes it.
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Thrown when a folder the stack deploys has not been built yet. */
export class MissingBuildError extends Error {
  constructor(what: string, dir: string, command: string) {
    super(`${what} not found in ${dir}: run \`${command}\` first`);
    this.name = "MissingBuildError";
  }
}

/**
 * @param files any one of them must exist in `dir`
 * @throws MissingBuildError
 */
export function requireBuildOutput(dir: string, files: string[], what: string, command: string): string {
  if (!files.some((file) => existsSync(join(dir, file)))) throw new MissingBuildError(what, dir, command);
  return dir;
}
