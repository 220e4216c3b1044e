// A throwaway copy of the project's sources for tests that edit them, so the real sources are never touched.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./kitTarget.js";

export interface ProjectCopy {
  root: string;
  /** Runs git in the copy (an identity is given, so commits work anywhere). */
  git(...args: string[]): string;
  remove(): void;
}

/**
 * Copies infra/, lambda/ and web/ (without build output), localdev/, cdk.json, package.json and tsconfig.json
 * into a folder inside the repo's .localdev/ (so packages still resolve from the repo's node_modules): a
 * fresh clone's sources, where `localdev/src/cli.ts` runs as `npm start` does. Optionally with cdk.out.
 */
export function copyProject(options: { withAssembly?: boolean } = {}): ProjectCopy {
  const parent = join(repoRoot, ".localdev", "test-projects");
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, "p-"));
  const skipDist = (source: string) => !/[/\\](dist|node_modules)($|[/\\])/.test(source);
  for (const entry of ["infra", "lambda", "web", "localdev", "cdk.json", "package.json", "tsconfig.json"])
    cpSync(join(repoRoot, entry), join(root, entry), { recursive: true, filter: skipDist });
  if (options.withAssembly) {
    cpSync(join(repoRoot, "cdk.out"), join(root, "cdk.out"), { recursive: true });
    cpSync(join(repoRoot, "web", "dist"), join(root, "web", "dist"), { recursive: true });
  }
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=kit@example.com", "-c", "user.name=kit", ...args], {
      cwd: root,
      encoding: "utf8",
      stdio: "pipe",
    });
  return { root, git, remove: () => rmSync(root, { recursive: true, force: true }) };
}
