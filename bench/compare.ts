// `npm run bench -- --compare-with <checkout>[:<node binary>] ...`: the function's figures for this checkout's kit
// and for others (e.g. an export of main), measured in one run, kit after kit in a rotating order, so the drift
// of a shared machine falls on every build alike.
import { resolve } from "node:path";
import { guestFlow, helloCeiling } from "./guest.js";
import { spawnKit } from "./startup.js";

export interface KitBuild {
  label: string;
  root: string;
  node: string;
}

interface Sample {
  coldInitMs: number;
  warmGuestMs: number;
  guestRps: number;
  expressRps: number;
}

type Invocation = { initDurationMs?: number; durationMs: number; cold: boolean };

/** Parses `--compare-with <dir>[:<node>]` arguments; the first build is this checkout on this Node. */
export function buildsToCompare(root: string, argv: string[]): KitBuild[] {
  const builds: KitBuild[] = [
    { label: `this checkout, node ${process.version}`, root, node: process.execPath },
  ];
  argv.forEach((arg, i) => {
    if (arg !== "--compare-with") return;
    const [dir, node = process.execPath] = (argv[i + 1] ?? "").split(":");
    if (!dir) throw new Error("--compare-with needs a checkout folder");
    builds.push({
      label: `${dir}, ${node === process.execPath ? "this node" : node}`,
      root: resolve(dir),
      node,
    });
  });
  return builds;
}

async function sample(build: KitBuild, portBase: number, seconds: number, root: string): Promise<Sample> {
  const kit = await spawnKit(build.root, portBase, ["--trust-forwarded-for"], 120_000, build.node);
  try {
    const invocations = async () =>
      (await (await fetch(`${kit.endpoints.control}/invocations`)).json()) as Invocation[];
    const guest = guestFlow(kit.endpoints);
    const once = () =>
      fetch(kit.endpoints.cloudfront, {
        method: "POST",
        headers: { ...guest.headers, "x-forwarded-for": guest.viewerIp() },
        body: "{}",
      }).then((r) => r.text());
    await once();
    const coldInitMs = (await invocations()).find((i) => i.cold)?.initDurationMs ?? Number.NaN;
    const warm: number[] = [];
    for (let i = 0; i < 21; i++) {
      await once();
      warm.push((await invocations())[0]!.durationMs);
    }
    for (let i = 0; i < 2; i++) await guest.run(10, 2);
    const express = await helloCeiling(root, "express", seconds);
    const load = await guest.run(10, seconds);
    return {
      coldInitMs,
      warmGuestMs: median(warm),
      guestRps: load.requestsPerSecond,
      expressRps: express.requestsPerSecond,
    };
  } finally {
    await kit.stop();
  }
}

/** Measures every build `rounds` times, rotating which goes first, and prints one row per build. */
export async function compareBuilds(
  builds: KitBuild[],
  options: { root: string; rounds: number; seconds: number; portBase: number },
): Promise<Record<string, Sample[]>> {
  const samples: Record<string, Sample[]> = Object.fromEntries(builds.map((b) => [b.label, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < builds.length; k++) {
      const build = builds[(round + k) % builds.length]!;
      const s = await sample(build, options.portBase, options.seconds, options.root);
      process.stderr.write(`  round ${round + 1} ${build.label}: ${JSON.stringify(s)}\n`);
      samples[build.label]!.push(s);
    }
  }
  const rows = builds.map((b) => {
    const list = samples[b.label]!;
    const share = median(list.map((s) => s.guestRps / s.expressRps));
    return (
      `${b.label}\n    handler cold init ${median(list.map((s) => s.coldInitMs)).toFixed(1)} ms, ` +
      `warm guest invocation ${median(list.map((s) => s.warmGuestMs)).toFixed(2)} ms, ` +
      `guest flow ${median(list.map((s) => s.guestRps))} req/s = ${(share * 100).toFixed(1)}% of express in its round ` +
      `(rounds: ${list.map((s) => `${s.guestRps} req/s ${((s.guestRps / s.expressRps) * 100).toFixed(1)}%`).join(", ")})`
    );
  });
  process.stdout.write(`\n${rows.join("\n")}\n`);
  return samples;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
