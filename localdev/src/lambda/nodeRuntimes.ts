// Which Node.js binary runs a Lambda runtime: each Node major the kit can run comes from an npm package
// installed by `npm install` (the `node` package and its aliases, see package.json), never from the network.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** A Lambda runtime the kit can run: the binary of its Node major and the flags Lambda starts it with. */
export interface RunnableNode {
  runnable: true;
  runtime: string;
  execPath: string;
  /** e.g. `22.23.3` */
  version: string;
  nodeFlags: string[];
}

/** A runtime the kit cannot run, and why, in words a user can act on. */
export interface UnrunnableRuntime {
  runnable: false;
  runtime: string;
  reason: string;
}

export type NodeRuntime = RunnableNode | UnrunnableRuntime;

interface Supported {
  /** The npm package (or alias) holding this Node major. */
  packageName: string;
  major: number;
  nodeFlags: string[];
}

// Lambda disables two experimental features of upstream Node 22 with these flags ("Building Lambda functions
// with Node.js", experimental features table); a function re-enables one through NODE_OPTIONS.
const SUPPORTED: Record<string, Supported> = {
  "nodejs22.x": {
    packageName: "node22",
    major: 22,
    nodeFlags: ["--no-experimental-require-module", "--no-experimental-detect-module"],
  },
  "nodejs24.x": { packageName: "node", major: 24, nodeFlags: [] },
};

// Deprecated Node.js runtimes, with the date from which Lambda refuses to update a function on them (Lambda's
// runtime table: nodejs20.x deprecated 2026-04-30, create blocked 2026-06-01, update blocked 2026-07-01).
const BLOCKED_SINCE: Record<string, string> = { "nodejs20.x": "2026-07-01" };

const SUPPORTED_LIST = Object.keys(SUPPORTED).join(" or ");
const require = createRequire(import.meta.url);

/** The Node binary for `runtime`, or why the kit cannot run it. Reads the installed packages once per call. */
export function nodeForRuntime(runtime: string): NodeRuntime {
  const supported = SUPPORTED[runtime];
  if (supported) return installedNode(runtime, supported);
  const unrunnable = (reason: string): UnrunnableRuntime => ({ runnable: false, runtime, reason });
  if (!/^nodejs\d+\.x$/.test(runtime)) {
    return unrunnable(`furl-kit runs Node.js runtimes only (${SUPPORTED_LIST})`);
  }
  const blockedSince = BLOCKED_SINCE[runtime];
  if (blockedSince || Number.parseInt(runtime.slice(6), 10) < 22) {
    return unrunnable(
      `${runtime} is deprecated: Lambda refuses to create or update functions on it${blockedSince ? ` since ${blockedSince}` : ""}; use ${SUPPORTED_LIST}`,
    );
  }
  return unrunnable(`furl-kit has no Node.js for ${runtime}; it runs ${SUPPORTED_LIST}`);
}

function installedNode(runtime: string, supported: Supported): NodeRuntime {
  const missing = (detail: string): UnrunnableRuntime => ({
    runnable: false,
    runtime,
    reason: `Node ${supported.major} for ${runtime} is not installed (${detail}); run npm install`,
  });
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${supported.packageName}/package.json`);
  } catch {
    return missing(`no package ${supported.packageName}`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    version?: string;
    bin?: { node?: string };
  };
  const version = manifest.version ?? "";
  if (Number.parseInt(version, 10) !== supported.major) {
    return missing(`${supported.packageName} is Node ${version || "of no version"}`);
  }
  // The package's install script puts the binary there (bin/node, or bin/node.exe on Windows).
  const execPath = join(dirname(manifestPath), manifest.bin?.node ?? "bin/node");
  if (!existsSync(execPath)) {
    return missing(`${supported.packageName} has no binary; was npm install run with --ignore-scripts?`);
  }
  return { runnable: true, runtime, execPath, version, nodeFlags: supported.nodeFlags };
}
