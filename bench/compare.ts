// `npm run bench -- --compare-with <checkout>[:<node binary>] ...`: the function's figures for this checkout's kit
// and for others (e.g. an export of main), measured in one run, interleaved in a rotating order, so the drift
// of a shared machine falls on every build alike.
import { resolve } from "node:path";
import { guestFlow, helloCeiling } from "./guest.js";
import { spawnKit } from "./startup.js";

export interface KitBuild {
  label: string;
  root: string;
  node: string;
}

interface Figures {
  coldInitMs: number[];
  warmGuestMs: number;
  /** One per round, with the express hello-world figure measured at the start of that round. */
  rounds: { guestRps: number; expressRps: number }[];
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

/** A running kit of one build, and one guest request through CloudFront at a time. */
async function startKit(build: KitBuild, portBase: number) {
  const kit = await spawnKit(build.root, portBase, ["--trust-forwarded-for"], 120_000, build.node);
  const guest = guestFlow(kit.endpoints);
  const latest = async () =>
    ((await (await fetch(`${kit.endpoints.control}/invocations`)).json()) as Invocation[])[0];
  const request = async () => {
    await fetch(kit.endpoints.cloudfront, {
      method: "POST",
      headers: { ...guest.headers, "x-forwarded-for": guest.viewerIp() },
      body: "{}",
    }).then((r) => r.text());
    return latest();
  };
  return { kit, guest, request };
}

/**
 * Measures every build, interleaved: cold init from `rounds` fresh starts of each kit; then all kits run side by
 * side and each round measures express, then every kit's guest flow, for `seconds` each, rotating the order.
 */
export async function compareBuilds(
  builds: KitBuild[],
  options: { root: string; rounds: number; seconds: number; portBase: number },
): Promise<Record<string, Figures>> {
  const figures: Record<string, Figures> = Object.fromEntries(
    builds.map((b) => [b.label, { coldInitMs: [], warmGuestMs: Number.NaN, rounds: [] }]),
  );
  const rotated = (round: number) => builds.map((_, k) => builds[(round + k) % builds.length]!);
  for (let round = 0; round < options.rounds; round++) {
    for (const build of rotated(round)) {
      const { kit, request } = await startKit(build, options.portBase);
      try {
        const cold = await request();
        figures[build.label]!.coldInitMs.push(cold?.initDurationMs ?? Number.NaN);
      } finally {
        await kit.stop();
      }
    }
  }
  const kits = [];
  try {
    for (const [i, build] of builds.entries()) kits.push(await startKit(build, options.portBase + 10 * i));
    for (const [i, { request, guest }] of kits.entries()) {
      const warm: number[] = [];
      for (let n = 0; n < 22; n++) warm.push((await request())?.durationMs ?? Number.NaN);
      figures[builds[i]!.label]!.warmGuestMs = median(warm.slice(1));
      for (let n = 0; n < 2; n++) await guest.run(10, 2);
    }
    for (let round = 0; round < options.rounds; round++) {
      const express = await helloCeiling(options.root, "express", options.seconds);
      for (const build of rotated(round)) {
        const load = await kits[builds.indexOf(build)]!.guest.run(10, options.seconds);
        figures[build.label]!.rounds.push({
          guestRps: load.requestsPerSecond,
          expressRps: express.requestsPerSecond,
        });
        process.stderr.write(`  round ${round + 1} ${build.label}: ${load.requestsPerSecond} req/s\n`);
      }
    }
  } finally {
    await Promise.all(kits.map(({ kit }) => kit.stop()));
  }
  const first = figures[builds[0]!.label]!;
  const rows = builds.map((b) => {
    const f = figures[b.label]!;
    const vsFirst = median(f.rounds.map((r, i) => r.guestRps / first.rounds[i]!.guestRps));
    return (
      `${b.label}\n    handler cold init ${median(f.coldInitMs).toFixed(1)} ms (${f.coldInitMs.map((v) => v.toFixed(0)).join(", ")}), ` +
      `warm guest invocation ${f.warmGuestMs.toFixed(2)} ms, guest flow ${median(f.rounds.map((r) => r.guestRps))} req/s ` +
      `= ${(median(f.rounds.map((r) => r.guestRps / r.expressRps)) * 100).toFixed(1)}% of express, ` +
      `${(vsFirst * 100).toFixed(1)}% of the first build round by round (${f.rounds.map((r) => r.guestRps).join(", ")})`
    );
  });
  process.stdout.write(`\n${rows.join("\n")}\n`);
  return figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
