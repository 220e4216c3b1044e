// --fresh on state folders: only what the kit wrote goes, and a folder that is not the kit's is refused.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NotAStateFolderError, prepareStateDir, STATE_MARKER } from "./stateDir.js";

const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "furl-state-"));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function kitState(dir: string): void {
  mkdirSync(join(dir, "cognito"), { recursive: true });
  writeFileSync(join(dir, "deployment.json"), "{}");
  writeFileSync(join(dir, "endpoints.json"), "{}");
  writeFileSync(join(dir, "cognito", "us-east-1_AbC123xyZ.json"), "{}");
  writeFileSync(join(dir, "cognito", "us-east-1_AbC123xyZ.json.123.abc.tmp"), "{");
}

describe("Function: prepareStateDir", () => {
  it("refuses --fresh on a project folder and deletes nothing", () => {
    const project = tempDir();
    writeFileSync(join(project, "package.json"), "{}");
    mkdirSync(join(project, "src"));
    writeFileSync(join(project, "deployment.json"), "{}");
    expect(() => prepareStateDir(project, { fresh: true })).toThrow(NotAStateFolderError);
    expect(readdirSync(project).sort()).toEqual(["deployment.json", "package.json", "src"]);
  });

  it("clears a kit folder of users, keys and ids, keeping anything else put there", () => {
    const dir = tempDir();
    prepareStateDir(dir);
    kitState(dir);
    writeFileSync(join(dir, "notes.txt"), "mine");
    prepareStateDir(dir, { fresh: true });
    expect(readdirSync(dir).sort()).toEqual([STATE_MARKER, "notes.txt"]);
  });

  it("recognises a folder from before the marker by its contents, and marks it", () => {
    const dir = tempDir();
    kitState(dir);
    prepareStateDir(dir, { fresh: true });
    expect(readdirSync(dir)).toEqual([STATE_MARKER]);
  });

  it("creates a missing folder with its marker, and does not mark a foreign one", () => {
    const dir = join(tempDir(), "state");
    prepareStateDir(dir, { fresh: true });
    expect(existsSync(join(dir, STATE_MARKER))).toBe(true);
    const foreign = tempDir();
    writeFileSync(join(foreign, "README.md"), "#");
    prepareStateDir(foreign);
    expect(existsSync(join(foreign, STATE_MARKER))).toBe(false);
  });
});
