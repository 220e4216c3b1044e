// The inner loop as a developer lives it: save a file, the next request answers with the change.
// Every edit is made to a copy of the project; the kit watches the copy as `npm start` watches the repo.
import { execFileSync } from "node:child_process";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KitBuild } from "../../localdev/src/index.js";
import { execute, hostedUi, newUser, signIn, signUp, uniqueViewerIp } from "../flows/steps.js";
import { repoRoot, startTestKit, type TestKit } from "./kitTarget.js";
import { copyProject, type ProjectCopy } from "./projectCopy.js";

const GUEST_TEXT = "no sign-in code (guest)";
const guestText = (tag: string) => `no sign-in code (guest, ${tag})`;

/**
 * `/health?after=<generation>` over HTTP: answers once a newer build is live or a build failed (asked
 * again when the kit's long poll ends first, as a slow synth on a busy machine can outlast it).
 */
async function nextBuild(t: TestKit, before: KitBuild): Promise<KitBuild> {
  for (;;) {
    const response = await fetch(`${t.kit.endpoints.control}/health?after=${before.generation}`);
    const { build } = (await response.json()) as { build: KitBuild };
    if (build.generation > before.generation || build.failures > before.failures) return build;
  }
}

/**
 * Waits until a guest's "Execute Lambda" answers with `text`. A save can reach the kit as more than one
 * batch (git's checkout, then its stash pop), so each build is checked until the awaited one is live.
 */
async function untilGuestSees(t: TestKit, text: string): Promise<string> {
  for (;;) {
    const before = t.kit.build();
    const answer = await execute(t.target, undefined, { viewerIp: uniqueViewerIp() });
    const message = answer.body?.message ?? answer.text;
    if (message.includes(text)) return message;
    const build = await nextBuild(t, before);
    if (build.generation === before.generation) throw new Error(build.lastFailure?.message);
  }
}

describe("inner loop: handler edits", () => {
  let project: ProjectCopy;
  let t: TestKit;
  let handlerFile: string;
  let base: string;
  const variant = (tag: string) => base.replace(GUEST_TEXT, guestText(tag));

  beforeAll(async () => {
    project = copyProject();
    handlerFile = join(project.root, "lambda", "src", "handler.ts");
    base = readFileSync(handlerFile, "utf8");
    expect(base).toContain(GUEST_TEXT);
    // git history to check out and stashes to pop, made before the kit watches.
    project.git("init", "-q", "-b", "main");
    project.git("add", "-A");
    project.git("commit", "-qm", "base");
    project.git("checkout", "-q", "-b", "variants");
    for (let i = 1; i <= 5; i++) {
      writeFileSync(handlerFile, variant(`checkout ${i}`));
      project.git("commit", "-qam", `checkout ${i}`);
      project.git("tag", `v${i}`);
    }
    project.git("checkout", "-q", "main");
    for (let i = 5; i >= 1; i--) {
      writeFileSync(handlerFile, variant(`stash ${i}`));
      project.git("stash", "-q");
    }
    t = await startTestKit({
      root: project.root,
      assemblyDir: join(repoRoot, "cdk.out"),
      synth: "never",
      watch: true,
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    project?.remove();
  });

  const saves: Record<string, (i: number) => void> = {
    "an in-place write": (i) => writeFileSync(handlerFile, variant(`in place ${i}`)),
    "a temp file renamed over it": (i) => {
      writeFileSync(`${handlerFile}.tmp`, variant(`renamed ${i}`));
      renameSync(`${handlerFile}.tmp`, handlerFile);
    },
    "sed -i": (i) =>
      execFileSync("sed", ["-i", `s/no sign-in code ([^)]*)/${guestText(`sed ${i}`)}/`, handlerFile]),
    "git checkout": (i) => project.git("checkout", "-q", `v${i}`),
    // The stashes were pushed in order: each pop is the next one.
    "git stash pop": () => {
      project.git("checkout", "-q", "main", "--", ".");
      project.git("stash", "pop", "-q");
    },
  };
  const expected: Record<string, (i: number) => string> = {
    "an in-place write": (i) => `in place ${i}`,
    "a temp file renamed over it": (i) => `renamed ${i}`,
    "sed -i": (i) => `sed ${i}`,
    "git checkout": (i) => `checkout ${i}`,
    "git stash pop": (i) => `stash ${i}`,
  };

  for (const [style, save] of Object.entries(saves)) {
    it(`applies five successive saves of lambda/src/handler.ts by ${style}, each on the next request`, {
      timeout: 120_000,
    }, async () => {
      // Back to the committed file first (a save of its own, awaited like the others).
      project.git("checkout", "-q", "-f", "main");
      await untilGuestSees(t, GUEST_TEXT);
      for (let i = 1; i <= 5; i++) {
        save(i);
        expect(await untilGuestSees(t, guestText(expected[style]!(i)))).toContain(expected[style]!(i));
      }
      // Each save was its own build, and the function started cold on the new one.
      const [latest] = await t.kit.invocations();
      expect(latest).toMatchObject({ cold: true });
    });
  }

  it("keeps serving the previous build when a save does not compile, and says why; new and deleted files count", {
    timeout: 60_000,
  }, async () => {
    writeFileSync(handlerFile, variant("before the failure"));
    await untilGuestSees(t, guestText("before the failure"));
    const beforeFailure = t.kit.build();
    const { generation, failures } = beforeFailure;

    // An import of a file that does not exist yet: the build fails, the old code answers.
    writeFileSync(
      handlerFile,
      `import { EXTRA } from "./extra.js";\n${base.replace(`"${GUEST_TEXT}"`, "EXTRA")}`,
    );
    const failed = await nextBuild(t, beforeFailure);
    expect(failed.failures).toBe(failures + 1);
    expect(failed.generation).toBe(generation);
    expect(failed.lastFailure?.message).toMatch(/extra\.js/);
    expect((await execute(t.target, undefined)).body?.message).toContain(guestText("before the failure"));

    // The new file makes it build.
    writeFileSync(
      join(project.root, "lambda", "src", "extra.ts"),
      `export const EXTRA = "${guestText("new file")}";\n`,
    );
    await untilGuestSees(t, guestText("new file"));

    // Deleting it breaks the build again; the last good build keeps answering.
    const before = t.kit.build();
    rmSync(join(project.root, "lambda", "src", "extra.ts"));
    const again = await nextBuild(t, before);
    expect(again.failures).toBe(before.failures + 1);
    expect((await execute(t.target, undefined)).body?.message).toContain(guestText("new file"));
  });

  it("ignores editor swap and backup files and tests", async () => {
    const { generation } = t.kit.build();
    writeFileSync(join(project.root, "lambda", "src", ".handler.ts.swp"), "swap");
    writeFileSync(join(project.root, "lambda", "src", "handler.ts~"), "backup");
    writeFileSync(join(project.root, "lambda", "src", "handler.test.ts"), "// a test");
    // A real save afterwards is the next build: nothing in between made one.
    writeFileSync(handlerFile, variant("after the scratch files"));
    await untilGuestSees(t, guestText("after the scratch files"));
    expect(t.kit.build().generation).toBe(generation + 1);
  });
});

describe("inner loop: infra edits", () => {
  it("re-synthesizes and applies a changed country list and rate limit; users and ids are kept", {
    timeout: 240_000,
  }, async () => {
    const project = copyProject({ withAssembly: true });
    const t = await startTestKit({
      root: project.root,
      assemblyDir: join(project.root, "cdk.out"),
      watch: true,
    });
    try {
      const user = newUser("infra");
      const browser = hostedUi(t.target);
      expect((await execute(t.target, await signUp(t.target, browser, user))).status).toBe(200);
      const { userPoolId, clientId } = t.kit.endpoints;
      const t0 = t.kit.build();
      const { generation } = t0;

      const settings = join(project.root, "infra", "lib", "settings.ts");
      const source = readFileSync(settings, "utf8");
      writeFileSync(
        settings,
        source
          .replace('allowedCountries: ["US", "CA"]', 'allowedCountries: ["DE"]')
          .replace("rateLimit: 100", "rateLimit: 10"),
      );
      const build = await nextBuild(t, t0);
      expect(build.lastFailure).toBeUndefined();
      expect(build.generation).toBe(generation + 1);

      // The new country list: US is blocked, DE gets through.
      const us = await execute(t.target, undefined, { country: "US", viewerIp: uniqueViewerIp() });
      expect([us.status, us.body?.blocked]).toEqual([403, true]);
      expect((await execute(t.target, undefined, { country: "DE", viewerIp: uniqueViewerIp() })).status).toBe(
        401,
      );
      // The new rate limit: the 11th request from one IP within the window is blocked.
      const ip = uniqueViewerIp();
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++)
        statuses.push((await execute(t.target, undefined, { country: "DE", viewerIp: ip })).status);
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses[10]).toBe(403);
      // Same pool, same client, and the user signs in without signing up again.
      expect(t.kit.endpoints).toMatchObject({ userPoolId, clientId });
      const { code } = await signIn(t.target, browser, user);
      expect((await execute(t.target, code, { country: "DE" })).status).toBe(200);
    } finally {
      await t.close();
      project.remove();
    }
  });
});

describe("inner loop: the page", () => {
  it("serves the page through Vite's dev server with its hot-update client, and the same local config.json", async () => {
    const t = await startTestKit({ site: "dev" });
    try {
      const page = await (await fetch(t.kit.endpoints.site)).text();
      expect(page).toContain("/@vite/client");
      const module = await fetch(`${t.kit.endpoints.site}src/messages.ts`);
      expect(module.status).toBe(200);
      expect(await module.text()).toContain("Lambda Function URL demo");
      const config = (await (await fetch(`${t.kit.endpoints.site}config.json`)).json()) as Record<
        string,
        unknown
      >;
      expect(config).toMatchObject({ apiUrl: t.kit.endpoints.cloudfront, local: { viewerCountry: "US" } });
      expect(String(config.signInUrl)).toContain(`${t.kit.endpoints.cognitoDomain}/oauth2/authorize`);
    } finally {
      await t.close();
    }
  });
});
