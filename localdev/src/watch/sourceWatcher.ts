// Watches source folders and reports every saved change, in batches, whatever way the file was written.
//
// Why not `fs.watch(dir, { recursive: true })`: on Linux, Node 20 (and 22/24) emulate `recursive` in
// JavaScript with one inotify watch per *file inode*. A save that replaces the file (temp file + rename,
// `sed -i`, `git checkout`, most editors' atomic save) leaves that watch on the old, deleted inode: the
// first such save is reported, every later edit of the same path is silent, and the folder's own event
// for the path is swallowed because the path is already known. Here each *folder* has its own watch
// (non-recursive, so inotify reports every entry created, written, renamed or deleted in it), and the
// content of each reported path is compared with what was last seen, so replacing saves are never lost
// and a save that changes nothing triggers nothing.
import { createHash } from "node:crypto";
import { type FSWatcher, readdirSync, readFileSync, statSync, watch } from "node:fs";
import { basename, join, relative, sep } from "node:path";

/** Folder names never watched. */
const SKIPPED_DIRS = new Set(["node_modules", "dist", ".git", "cdk.out"]);

/**
 * Editor and tool droppings that are not sources: vim swap, backup and write-test files, emacs locks and
 * autosaves, JetBrains safe-write copies, patch leftovers, the temp file of a temp+rename save.
 */
export function isScratchFile(name: string): boolean {
  return (
    /\.(sw[a-p]|swx|tmp|temp|bak|orig|rej|crswap)$/i.test(name) ||
    /~$/.test(name) ||
    /^\.#/.test(name) ||
    /^#.*#$/.test(name) ||
    /___jb_(tmp|old|bak)___$/.test(name) ||
    name === "4913" ||
    name === ".DS_Store" ||
    /\.tmp[.-]?\w*$/i.test(name) // e.g. responses.ts.tmp.123 (write-then-rename helpers)
  );
}

export interface SourceWatcherOptions {
  root: string;
  /** Folders (relative to root) to watch, with everything below them; missing ones are fine. */
  dirs: string[];
  /** Paths (relative to root, `/`-separated) whose changes mean nothing to the caller. */
  ignore?: (path: string) => boolean;
  /** Quiet time before a batch is reported: one save is often several events. */
  settleMs?: number;
  /**
   * Called with every changed, created or deleted path (relative to root, `/`-separated) since the last
   * call. Never called again before the previous call's promise settles; changes seen meanwhile come in
   * the next batch.
   */
  onChange(paths: string[]): Promise<void> | void;
}

export interface SourceWatcher {
  close(): void;
}

/** Starts watching; files present now are the baseline (reported only when they change). */
export function watchSources(options: SourceWatcherOptions): SourceWatcher {
  const { root } = options;
  const settleMs = options.settleMs ?? 40;
  const toRelative = (path: string) => relative(root, path).split(sep).join("/");
  const ignored = (path: string) =>
    isScratchFile(basename(path)) || (options.ignore?.(toRelative(path)) ?? false);

  const watchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  /** Content fingerprint of every known file (absolute path). */
  const seen = new Map<string, string>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let closed = false;

  const fingerprint = (path: string): string | undefined => {
    try {
      return createHash("sha1").update(readFileSync(path)).digest("base64");
    } catch {
      return undefined; // gone, or a folder
    }
  };

  const statOf = (path: string) => {
    try {
      return statSync(path);
    } catch {
      return undefined;
    }
  };

  /** Watches `dir` and everything below it; returns the files found (for a folder that appeared). */
  const addDir = (dir: string, found: string[] = []): string[] => {
    const stat = statOf(dir);
    if (!stat?.isDirectory() || closed) return found;
    const existing = watchers.get(dir);
    if (existing?.ino === stat.ino) return found;
    existing?.watcher.close();
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name) note(join(dir, String(name)));
        else rescan(dir);
      });
      watcher.on("error", () => dropDir(dir));
      watchers.set(dir, { watcher, ino: stat.ino });
    } catch {
      return found; // vanished between stat and watch: its parent reports it
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) addDir(path, found);
      } else if (!ignored(path)) {
        found.push(path);
      }
    }
    return found;
  };

  /** A folder is gone (or replaced): stop its watches; its files count as deleted when next checked. */
  const dropDir = (dir: string) => {
    for (const [path, { watcher }] of watchers) {
      if (path === dir || path.startsWith(dir + sep)) {
        watcher.close();
        watchers.delete(path);
      }
    }
    for (const path of seen.keys()) if (path.startsWith(dir + sep)) pending.add(path);
  };

  /** The event named no entry (rare): check every file we know in that folder. */
  const rescan = (dir: string) => {
    for (const path of seen.keys()) if (path.startsWith(dir + sep)) pending.add(path);
    for (const path of addDir(dir)) pending.add(path);
    schedule();
  };

  const note = (path: string) => {
    if (closed) return;
    const name = basename(path);
    const stat = statOf(path);
    if (stat?.isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) for (const file of addDir(path)) pending.add(file);
    } else {
      if (watchers.has(path)) dropDir(path); // a watched folder was deleted or renamed away
      if (!ignored(path)) pending.add(path);
    }
    schedule();
  };

  const schedule = () => {
    clearTimeout(timer);
    if (!running && pending.size) timer = setTimeout(flush, settleMs);
  };

  const flush = async () => {
    if (running || closed) return;
    const changed: string[] = [];
    for (const path of pending) {
      const now = fingerprint(path);
      if (now === seen.get(path)) continue;
      if (now === undefined) seen.delete(path);
      else seen.set(path, now);
      changed.push(toRelative(path));
    }
    pending.clear();
    if (!changed.length) return;
    running = true;
    try {
      await options.onChange(changed.sort());
    } catch {
      // The caller reports its own failures; the watch goes on.
    } finally {
      running = false;
      schedule(); // what changed while the caller worked comes next, never dropped
    }
  };

  for (const dir of options.dirs) {
    for (const path of addDir(join(root, dir))) {
      const print = fingerprint(path);
      if (print !== undefined) seen.set(path, print);
    }
  }

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const { watcher } of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
