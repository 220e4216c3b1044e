// Where the tier writes what a person needs to see: page screenshots, and a screenshot plus log of a failed test.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { repoRoot } from "../integration/kitTarget.js";

export const failureDir = join(repoRoot, "test-results", "browser");
export const screenshotDir = join(repoRoot, "test-results", "screenshots");

/** A test name as a file name: "1. sign up, confirm" -> "1-sign-up-confirm". */
export function fileNameOf(testName: string): string {
  return (
    testName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "test"
  );
}

/** Single-use codes and tokens in URLs or texts, masked before anything is written to disk. */
export function redactCredentials(text: string): string {
  return text
    .replace(/([?&#](?:code|access_token|id_token|refresh_token)=)[^&#\s"']+/gi, "$1[redacted]")
    .replace(/"(code|access_token|id_token|refresh_token)":"[^"]*"/gi, '"$1":"[redacted]"');
}

/** Saves a full-page screenshot under test-results/screenshots/<name>.png; returns the path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Saves test-results/browser/<test>.png and .log for a failed test; never throws (the test's own error matters). */
export async function saveFailure(
  testName: string,
  page: Page | undefined,
  log: readonly string[],
): Promise<void> {
  try {
    mkdirSync(failureDir, { recursive: true });
    const base = join(failureDir, fileNameOf(testName));
    writeFileSync(`${base}.log`, `${log.map(redactCredentials).join("\n")}\n`);
    if (page && !page.isClosed())
      await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 });
  } catch (error) {
    console.warn(`could not save the failure artifacts of "${testName}": ${(error as Error).message}`);
  }
}
