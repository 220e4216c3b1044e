// A fixture app of test/fixtures/apps started with `--app` as a user of that stack would, in a state folder of
// its own; `restart` stops it and starts it again on the same state (as `npm start` twice).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Kit, startKit } from "../../localdev/src/index.js";

const FIXTURES = resolve(import.meta.dirname, "../fixtures/apps");

export interface FixtureKit {
  kit: Kit;
  restart(): Promise<Kit>;
  close(): Promise<void>;
}

export async function startFixtureKit(name: string, app = "npx tsx app.ts"): Promise<FixtureKit> {
  const stateDir = mkdtempSync(join(tmpdir(), `furl-${name}-`));
  const start = () =>
    startKit({ app, appDir: join(FIXTURES, name), basePort: 0, stateDir, preloadGeoTables: false });
  const fixture: FixtureKit = {
    kit: await start(),
    async restart() {
      await fixture.kit.close();
      fixture.kit = await start();
      return fixture.kit;
    },
    async close() {
      await fixture.kit.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return fixture;
}
