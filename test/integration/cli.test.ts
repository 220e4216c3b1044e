// `npm start` as typed: a mistyped option says what is wrong and where the options are listed.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./kitTarget.js";

/** `npm start -- <args>` that is expected to fail: its exit code and what it printed on stderr. */
function failedStart(args: string[]): Promise<{ code?: number; stderr?: string } | undefined> {
  return promisify(execFile)("npm", ["start", "--", ...args], { cwd: repoRoot }).then(
    () => undefined,
    (error: { code?: number; stderr?: string }) => error,
  );
}

describe("npm start", () => {
  it("answers an unknown option with the reason and a pointer to --help, and exits 1", async () => {
    const failure = await failedStart(["--viewer-contry", "DE"]);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain("furl-kit could not start: Unknown option '--viewer-contry'");
    expect(failure?.stderr).toContain("Run `npm start -- --help` for the options.");
  });

  it("lists --app, --app-dir, --template and --stack in --help, and refuses --app with --template", async () => {
    const run = promisify(execFile);
    const help = await run("npm", ["start", "--silent", "--", "--help"], { cwd: repoRoot });
    for (const option of ['--app "<command>"', "--app-dir <dir>", "--template <path>", "--stack <name>"])
      expect(help.stdout).toContain(option);
    const failure = await failedStart(["--app", "node app.js", "--template", "x.json"]);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain("--app and --template exclude each other");
  });

  it("names a --template path that does not exist, and exits 1", async () => {
    const failure = await failedStart(["--template", "no-such-stack.template.json"]);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/--template \S*no-such-stack\.template\.json: no such file or folder/);
  });
});
