import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isScratchFile, type SourceWatcher, watchSources } from "./sourceWatcher.js";

/**
 * What the watcher reported, as the caller sees it: each batch's paths and the file's text at that moment.
 * `until(text)` resolves at the first batch after which the watched file holds `text`.
 */
function reports(read: () => string) {
  const batches: { paths: string[]; text: string }[] = [];
  let waiter: { text: string; resolve: () => void } | undefined;
  return {
    batches,
    onChange(paths: string[]) {
      const text = read();
      batches.push({ paths, text });
      if (waiter && text.includes(waiter.text)) waiter.resolve();
    },
    until(text: string): Promise<void> {
      if (batches.at(-1)?.text.includes(text)) return Promise.resolve();
      return new Promise((resolve) => {
        waiter = { text, resolve };
      });
    },
  };
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
    cwd,
    stdio: "pipe",
  });

describe("watchSources", () => {
  let root: string;
  let watcher: SourceWatcher | undefined;
  const file = () => join(root, "lambda", "src", "responses.ts");

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "furl-watch-"));
    mkdirSync(join(root, "lambda", "src"), { recursive: true });
    writeFileSync(file(), 'export const text = "base";\n');
  });
  afterEach(() => {
    watcher?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const start = (onChange?: (paths: string[]) => Promise<void> | void) => {
    const seen = reports(() => readFileSync(file(), "utf8"));
    watcher = watchSources({
      root,
      dirs: ["lambda"],
      ignore: (path) => path.endsWith(".test.ts"),
      onChange: onChange ?? ((paths) => seen.onChange(paths)),
    });
    return seen;
  };

  const saves: Record<string, (i: number) => void> = {
    "in-place write": (i) => writeFileSync(file(), `export const text = "edit ${i}";\n`),
    "temp file then rename": (i) => {
      writeFileSync(`${file()}.tmp`, `export const text = "edit ${i}";\n`);
      renameSync(`${file()}.tmp`, file());
    },
    "sed -i": (i) => execFileSync("sed", ["-i", `s/"[^"]*"/"edit ${i}"/`, file()]),
  };

  for (const [style, save] of Object.entries(saves)) {
    it(`sees five successive saves of one file by ${style}`, async () => {
      const seen = start();
      for (let i = 1; i <= 5; i++) {
        save(i);
        await seen.until(`edit ${i}`);
      }
      expect(seen.batches.map((b) => b.paths)).toEqual(Array(5).fill(["lambda/src/responses.ts"]));
    });
  }

  it("sees five successive git checkouts, then five git stash pops, of one file", async () => {
    git(root, "init", "-q", "-b", "main");
    git(root, "add", ".");
    git(root, "commit", "-qm", "base");
    for (let i = 1; i <= 5; i++) {
      writeFileSync(file(), `export const text = "commit ${i}";\n`);
      git(root, "commit", "-qam", `v${i}`);
      git(root, "tag", `v${i}`);
    }
    // Pushed newest first, so popping yields 1..5.
    for (let i = 5; i >= 1; i--) {
      writeFileSync(file(), `export const text = "stash ${i}";\n`);
      git(root, "stash", "-q");
    }
    const seen = start();
    for (const i of [1, 2, 3, 4, 5]) {
      git(root, "checkout", "-q", `v${i}`);
      await seen.until(`commit ${i}`);
    }
    for (let i = 1; i <= 5; i++) {
      git(root, "checkout", "-q", "--", ".");
      git(root, "stash", "pop", "-q");
      await seen.until(`stash ${i}`);
    }
    expect(seen.batches.flatMap((b) => b.paths).every((p) => p === "lambda/src/responses.ts")).toBe(true);
  });

  it("sees new and deleted files and new folders, and ignores swap, backup and test files", async () => {
    const seen = start();
    writeFileSync(join(root, "lambda", "src", ".responses.ts.swp"), "swap");
    writeFileSync(join(root, "lambda", "src", "responses.ts~"), "backup");
    writeFileSync(join(root, "lambda", "src", "4913"), "");
    writeFileSync(join(root, "lambda", "src", "responses.test.ts"), "test");
    writeFileSync(join(root, "lambda", "src", "extra.ts"), "export {};\n");
    await until(() => seen.batches.length === 1);
    mkdirSync(join(root, "lambda", "src", "parts"));
    writeFileSync(join(root, "lambda", "src", "parts", "a.ts"), "export {};\n");
    await until(() => seen.batches.length === 2);
    writeFileSync(join(root, "lambda", "src", "parts", "a.ts"), "export const a = 1;\n");
    await until(() => seen.batches.length === 3);
    unlinkSync(join(root, "lambda", "src", "extra.ts"));
    await until(() => seen.batches.length === 4);
    expect(seen.batches.map((b) => b.paths)).toEqual([
      ["lambda/src/extra.ts"],
      ["lambda/src/parts/a.ts"],
      ["lambda/src/parts/a.ts"],
      ["lambda/src/extra.ts"],
    ]);
  });

  it("coalesces a burst into one batch, and reports a save made during the caller's work after it", async () => {
    const batches: string[][] = [];
    let release!: () => void;
    let working = new Promise<void>((resolve) => {
      release = resolve;
    });
    start(async (paths) => {
      batches.push(paths);
      await working;
    });
    for (let i = 0; i < 20; i++) writeFileSync(file(), `export const text = "burst ${i}";\n`);
    writeFileSync(join(root, "lambda", "src", "other.ts"), "export {};\n");
    await until(() => batches.length === 1);
    writeFileSync(file(), 'export const text = "during the reload";\n');
    working = Promise.resolve();
    release();
    await until(() => batches.length === 2);
    expect(batches).toEqual([
      ["lambda/src/other.ts", "lambda/src/responses.ts"],
      ["lambda/src/responses.ts"],
    ]);
  });

  it("names swap and backup files as scratch", () => {
    for (const name of [
      ".a.ts.swp",
      ".a.ts.swx",
      "a.ts~",
      ".#a.ts",
      "#a.ts#",
      "4913",
      "a.ts___jb_tmp___",
      "a.ts.tmp",
    ])
      expect(isScratchFile(name), name).toBe(true);
    for (const name of ["a.ts", "responses.ts", "App.tsx", "styles.css", "index.html"])
      expect(isScratchFile(name), name).toBe(false);
  });
});

/** Resolves once `condition` holds, checking on every turn of the event loop (the watcher works in callbacks). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
