// The kit's logger: format, levels, redaction, and the stderr writer a worker thread uses.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "./log.js";

describe("createLogger", () => {
  it("writes one scoped line per event, with redacted fields", () => {
    const lines: string[] = [];
    const log = createLogger("kit", { write: (line) => lines.push(line) }).child("ssm");
    log.info("stored", { name: "/a", secret: "s3cr3t" });
    log.warn("slow");
    expect(lines).toEqual(['[kit:ssm] stored {"name":"/a","secret":"[redacted]"}', "[kit:ssm] WARN slow"]);
  });

  it("drops lines under its level", () => {
    const lines: string[] = [];
    createLogger("kit", { level: "warn", write: (line) => lines.push(line) }).info("quiet");
    expect(lines).toEqual([]);
  });

  it("describes its stderr target only when it writes to stderr", () => {
    expect(createLogger("kit", { level: "warn" }).stderr).toEqual({ scope: "kit", level: "warn" });
    expect(createLogger("kit", { write() {} }).stderr).toBeUndefined();
  });
});

describe("createThreadStderrLogger", () => {
  it("writes a worker thread's lines straight to fd 2, in order and at its level", () => {
    const tsx = createRequire(import.meta.url).resolve("tsx/cjs/api");
    const logModule = join(import.meta.dirname, "log.ts");
    const thread = `require(${JSON.stringify(tsx)}).register();
      const { createThreadStderrLogger } = require(${JSON.stringify(logModule)});
      const log = createThreadStderrLogger({ scope: "kit", level: "info" }, () => {}).child("url");
      log.info("one"); log.debug("hidden"); log.error("two", { token: "t" });`;
    const main = `const { Worker } = require("node:worker_threads"); new Worker(${JSON.stringify(thread)}, { eval: true });`;
    const child = spawnSync(process.execPath, ["-e", main], { encoding: "utf8" });
    expect(child.stderr).toBe('[kit:url] one\n[kit:url] ERROR two {"token":"[redacted]"}\n');
  });
});
