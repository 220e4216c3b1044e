// Finds Debian's Chromium (never downloads one) and launches it headless with the tier's fixed flags.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Flags for a quiet, offline, throw-away headless Chromium (no sandbox: tests run as root in CI). */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const defaultChromiumPath = "/usr/bin/chromium";

/** Where the tier looks for Chromium: `CHROME_PATH`, else Debian's package path. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROME_PATH || defaultChromiumPath;
}

/** True when the tier must fail rather than skip without Chromium (CI sets FURL_REQUIRE_BROWSER=1). */
export function browserRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FURL_REQUIRE_BROWSER === "1";
}

/**
 * Whether the tier can run here. Without Chromium it prints one line and skips,
 * or throws when FURL_REQUIRE_BROWSER=1 so CI cannot pass without having run it.
 */
export function browserTierAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  const path = chromiumPath(env);
  if (existsSync(path)) return true;
  const message = `browser tier skipped: no Chromium at ${path} (set CHROME_PATH or apt-get install chromium)`;
  if (browserRequired(env))
    throw new Error(`FURL_REQUIRE_BROWSER=1 but ${message.replace("browser tier skipped: ", "")}`);
  console.warn(message);
  return false;
}

/** One headless Chromium for a test file; contexts (fresh cookies and storage) are made per test. */
export function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(env), args: chromiumArgs, headless: true });
}
