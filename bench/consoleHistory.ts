// `npm run bench:console`: what the console's history costs in memory when full, under the bench's guest load.
// Runs the kit in this process (so its heap can be read), sends the guest flow through CloudFront from fresh
// viewer addresses until the history is full several times over, then measures the heap the kept records take.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConsoleHistory, DEFAULT_HISTORY } from "../localdev/src/console/index.js";
import { startKit } from "../localdev/src/index.js";
import { silentLogger } from "../localdev/src/shared/log.js";
import { load } from "./load.js";

const root = resolve(import.meta.dirname, "..");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("Run with --expose-gc: npm run bench:console");

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

const stateDir = mkdtempSync(join(tmpdir(), "furl-kit-bench-console-"));
const kit = await startKit({
  root,
  basePort: 0,
  stateDir,
  trustForwardedFor: true,
  synth: "auto",
  log: silentLogger,
});
try {
  let n = 0;
  const viewerIp = () => {
    n++;
    return `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;
  };
  const guest = {
    "content-type": "application/json",
    origin: new URL(kit.endpoints.site).origin,
  };
  const run = await load({
    url: kit.endpoints.cloudfront,
    method: "POST",
    connections: 10,
    durationSeconds: Number(process.env.BENCH_SECONDS ?? 5),
    requests: Array.from({ length: 1024 }, () => ({
      headers: { ...guest, "x-forwarded-for": viewerIp() },
      body: "{}",
    })),
  });
  // The last activity batches cross from the Function URL's thread after the last answers.
  await new Promise((done) => setTimeout(done, 500));
  const full = kit.history.snapshot();

  // The same records, copied into a second history of the default size: its heap is the history's cost.
  const before = heapAfterGc();
  const copy = new ConsoleHistory(DEFAULT_HISTORY);
  for (const r of structuredClone(full.requests)) copy.addRequest(r);
  const idle = { warm: 0, busy: 0 };
  for (const invocation of structuredClone(full.invocations))
    copy.addActivity({
      functionName: invocation.functionName,
      invocations: [invocation],
      logs: [],
      instances: idle,
    });
  for (const line of structuredClone(full.logs))
    copy.addActivity({ functionName: line.functionName, invocations: [], logs: [line], instances: idle });
  const after = heapAfterGc();
  const kept = copy.snapshot();

  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  const lines = [
    `guest load: ${run.requestsPerSecond} req/s for ${process.env.BENCH_SECONDS ?? 5} s (10 connections, in-process: not a throughput figure); statuses ${JSON.stringify(run.statusCodes)}`,
    `history at its default size: ${kept.requests.length} requests, ${kept.invocations.length} invocations, ${kept.logs.length} log lines`,
    `heap the history holds: ${mb(after - before)} (${Math.round((after - before) / (kept.requests.length + kept.invocations.length + kept.logs.length))} bytes per record on average)`,
    `whole kit heap after the run: ${mb(before)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await kit.close();
  rmSync(stateDir, { recursive: true, force: true });
}
