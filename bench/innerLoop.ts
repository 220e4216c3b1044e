// The inner loop, timed as a developer feels it: from saving a file to the first answer (or the browser) that
// shows the change, in a copy of the project run by its own `npm start` process (the repo is never edited).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { KitBuild } from "../localdev/src/index.js";
import { chromiumArgs, chromiumPath } from "../test/browser/chromium.js";
import { execute, uniqueViewerIp } from "../test/flows/steps.js";
import type { FlowTarget } from "../test/flows/target.js";
import { copyProject } from "../test/integration/projectCopy.js";
import { type KitProcess, spawnKit } from "./startup.js";

export interface Spread {
  medianMs: number;
  worstMs: number;
  samplesMs: number[];
}

export interface InnerLoopFigures {
  firstStartSeconds: number;
  startWithAssemblySeconds: number;
  handlerEdit: Spread;
  pageEdit?: Spread;
  countriesEdit: Spread;
}

const spread = (samplesMs: number[]): Spread => {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, worstMs: sorted.at(-1)!, samplesMs };
};

/** Replaces `from` by `to` in a file with one write, as an editor saving in place does. */
function edit(path: string, from: string, to: string): void {
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${path} has no "${from}" to edit`);
  writeFileSync(path, text.replace(from, to));
}

/** Saves, then measures until `sees()` holds, waiting on the kit's /health?after= between checks. */
async function timeEdit(kit: KitProcess, save: () => void, sees: () => Promise<boolean>): Promise<number> {
  const health = async (after?: number) =>
    (
      (await (
        await fetch(`${kit.endpoints.control}/health${after === undefined ? "" : `?after=${after}`}`)
      ).json()) as {
        build: KitBuild;
      }
    ).build;
  const started = performance.now();
  save();
  for (;;) {
    const { generation } = await health();
    if (await sees()) return performance.now() - started;
    const next = await health(generation);
    if (next.generation === generation && next.lastFailure) throw new Error(next.lastFailure.message);
  }
}

/**
 * First `npm start` of a fresh copy (no cdk.out, no web/dist), five edits each of the handler, the page (in
 * Chromium, with Vite's hot update) and the allowed countries, then a second start with cdk.out current.
 */
export async function innerLoopFigures(basePort: number, edits = 5): Promise<InnerLoopFigures> {
  const project = copyProject();
  try {
    const kit = await spawnKit(
      project.root,
      basePort,
      ["--trust-forwarded-for"],
      300_000,
      process.execPath,
      true,
    );
    const firstStartSeconds = kit.secondsToHealthy;
    const target = { apiUrl: kit.endpoints.cloudfront, siteUrl: kit.endpoints.site } as FlowTarget;
    const guestMessage = async (country = "US") =>
      (await execute(target, undefined, { viewerIp: uniqueViewerIp(), country })).text;
    let handlerEdit: Spread;
    let pageEdit: Spread | undefined;
    let countriesEdit: Spread;
    try {
      const handler = join(project.root, "lambda", "src", "handler.ts");
      const handlerTimes: number[] = [];
      let text = "no sign-in code (guest)";
      for (let i = 1; i <= edits; i++) {
        const next = `no sign-in code (guest, edit ${i})`;
        handlerTimes.push(
          await timeEdit(
            kit,
            () => edit(handler, text, next),
            async () => (await guestMessage()).includes(next),
          ),
        );
        text = next;
      }
      handlerEdit = spread(handlerTimes);

      const browser = await chromium
        .launch({ executablePath: chromiumPath(), args: chromiumArgs })
        .catch(() => undefined);
      if (browser) {
        try {
          const page = await browser.newPage();
          await page.goto(kit.endpoints.site);
          await page.getByRole("heading", { name: "Lambda Function URL demo" }).waitFor();
          const messages = join(project.root, "web", "src", "messages.ts");
          const pageTimes: number[] = [];
          let heading = "Lambda Function URL demo";
          for (let i = 1; i <= edits; i++) {
            const next = `Lambda Function URL demo, edit ${i}`;
            const started = performance.now();
            edit(messages, `homeHeading: "${heading}"`, `homeHeading: "${next}"`);
            await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, next, {
              polling: "raf",
              timeout: 30_000,
            });
            pageTimes.push(performance.now() - started);
            heading = next;
          }
          pageEdit = spread(pageTimes);
        } finally {
          await browser.close();
        }
      }

      const settings = join(project.root, "infra", "lib", "settings.ts");
      const countryTimes: number[] = [];
      for (let i = 1; i <= edits; i++) {
        // Alternately block and allow US viewers.
        const blockUs = i % 2 === 1;
        const [from, to] = blockUs ? ['["US", "CA"]', '["DE", "CA"]'] : ['["DE", "CA"]', '["US", "CA"]'];
        countryTimes.push(
          await timeEdit(
            kit,
            () => edit(settings, `allowedCountries: ${from}`, `allowedCountries: ${to}`),
            async () => (await guestMessage("US")).includes("blocked") === blockUs,
          ),
        );
      }
      countriesEdit = spread(countryTimes);
    } finally {
      await kit.stop();
    }
    // Same copy, cdk.out now current: what every later start costs.
    const again = await spawnKit(project.root, basePort);
    await again.stop();
    return {
      firstStartSeconds,
      startWithAssemblySeconds: again.secondsToHealthy,
      handlerEdit,
      ...(pageEdit ? { pageEdit } : {}),
      countriesEdit,
    };
  } finally {
    project.remove();
  }
}
