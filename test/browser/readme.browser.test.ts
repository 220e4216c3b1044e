// The README tier: "Try it locally" followed literally, in order, in a fresh Chromium profile, with the kit
// started by `npm start` and the README's flags. Every label clicked and text expected is read from the
// README, so the test changes when the README does. `npm run screenshots` refreshes the pictures in docs/.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../integration/kitTarget.js";
import { screenshotDir } from "./artifacts.js";
import { browserTierAvailable, chromiumArgs, chromiumPath } from "./chromium.js";
import { DialogQueue } from "./dialogQueue.js";
import { HostedUiPage } from "./hostedUiPage.js";
import { type NpmStartedKit, npmStart } from "./npmStart.js";
import { code, flagsOf, onKit, readmeTryItLocally, said } from "./readmeSteps.js";
import { SitePage } from "./sitePage.js";

const available = browserTierAvailable();
const readme = readmeTryItLocally();
/** `npm run screenshots` sets it: the pictures go to docs/readme/ (shown in the README), else test-results/. */
const pictureDir =
  process.env.FURL_README_SCREENSHOTS === "docs"
    ? join(repoRoot, "docs", "readme")
    : join(screenshotDir, "readme");

interface Confirmation {
  username: string;
  code: string;
  purpose?: string;
}

describe.skipIf(!available)("README: Try it locally, step by step", () => {
  const profileDir = mkdtempSync(join(tmpdir(), "furl-kit-readme-profile-"));
  // One state folder for every restart, as a person's .localdev/: the user of step 1 is there in step 8.
  const stateDir = mkdtempSync(join(tmpdir(), "furl-kit-readme-state-"));
  let context: BrowserContext;
  let page: Page;
  let kit: NpmStartedKit | undefined;
  const visited: string[] = [];

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath(),
      args: chromiumArgs,
      headless: true,
      viewport: { width: 960, height: 720 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    mkdirSync(pictureDir, { recursive: true });
  });
  afterAll(async () => {
    await kit?.close();
    await context?.close();
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  const picture = (name: string) =>
    page.screenshot({ path: join(pictureDir, `${name}.png`), fullPage: true });
  const click = (name: string) => page.getByRole("button", { name, exact: true }).click();

  /** Stops the running kit (Ctrl-C), runs `npm start` with the README's flags, opens the page on it. */
  async function restart(flags: string[]) {
    await kit?.close();
    kit = await npmStart(flags, { stateDir });
    const dialogs = new DialogQueue(page);
    const site = new SitePage(page, onKit(siteUrl, kit.endpoints), dialogs);
    const hostedUi = new HostedUiPage(page, kit.endpoints.cognitoDomain);
    await site.open();
    return { site, hostedUi };
  }

  /** The codes "sent by email", where the README says they are listed. */
  async function listedCodes(readmeUrl: string): Promise<Confirmation[]> {
    const response = await fetch(onKit(readmeUrl, kit!.endpoints));
    expect(response.status).toBe(200);
    return (await response.json()) as Confirmation[];
  }

  const siteUrl = /Open \*\*(http:\/\/127\.0\.0\.1:3000\/)\*\*/.exec(readme.markdown)?.[1] ?? "";

  it("follows steps 1 to 8 as a person does", { timeout: 300_000 }, async () => {
    expect(siteUrl, "the README says which URL to open").not.toBe("");
    const username = `reader${Date.now().toString(36)}`;
    const email = `${username}@example.com`;
    const password = "Passw0rd!readme";
    const newPassword = "N3w-passw0rd!readme";

    // 1. Sign up
    const s1 = readme.step("Sign up");
    let { site, hostedUi } = await restart(readme.startFlags());
    await click(said(s1, "Sign In"));
    await hostedUi.shows("login");
    await page.getByRole("link", { name: said(s1, "Sign up"), exact: true }).click();
    await hostedUi.shows("signup");
    await page.getByLabel("Username", { exact: true }).fill(username);
    await page.getByLabel("Email", { exact: true }).fill(email);
    const passwordField = page.getByLabel("Password", { exact: true });
    await passwordField.pressSequentially("passw");
    expect(await hostedUi.metRequirements()).toEqual(["✓Password must contain a lower case letter"]);
    await passwordField.pressSequentially("0rd"); // "passw0rd": no upper case letter, no symbol yet
    expect(await hostedUi.metRequirements()).toHaveLength(3);
    await picture("1-sign-up");
    await passwordField.fill(password);
    expect(await hostedUi.metRequirements()).toHaveLength(5);
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    await hostedUi.shows("confirm");
    const codesUrl = code(s1, /confirmation-codes$/);
    await expect(page.locator("#localCodeNote").textContent()).resolves.toContain(
      onKit(codesUrl, kit!.endpoints),
    );
    await picture("1-confirm");
    const first = (await listedCodes(codesUrl)).find((c) => c.username === username && !c.purpose)!;
    await click(said(s1, "Resend code"));
    await hostedUi.shows("confirm");
    const resent = (await listedCodes(codesUrl)).find((c) => c.username === username && !c.purpose)!;
    expect(resent.code).not.toBe(first.code);
    expect(kit!.output(), "the code is printed in the kit's log too").toContain(resent.code);
    await page.getByLabel("Verification code", { exact: true }).fill(resent.code);
    await click("Confirm account");
    await site.waitForCallback();
    await page.getByText("You are signed in.").waitFor();

    // 2. Execute Lambda
    const s2 = readme.step("Execute Lambda");
    const authenticated = said(s2, /^You are authenticated as/).replace(/\s*…$/, "");
    expect(await site.execute()).toMatch(new RegExp(`^${authenticated} ${username}\\b`));
    await page.getByText(`Signed in as ${username}`).waitFor();
    await picture("2-execute-signed-in");

    // 3. Execute again: a fresh code through the hosted UI session, no password asked
    readme.step("Execute again");
    const before = visited.length;
    expect(await site.execute()).toMatch(new RegExp(`^${authenticated} ${username}\\b`));
    const cognito = new URL(kit!.endpoints.cognitoDomain).origin;
    expect(
      visited.slice(before).some((u) => u.startsWith(`${cognito}/login`)),
      "no login form",
    ).toBe(false);

    // 4. Guest
    const s4 = readme.step("Guest");
    await click(said(s4, "Return to Home Page"));
    await site.homeHeading.waitFor();
    await page.getByRole("button", { name: said(s4, "Continue signed in"), exact: true }).waitFor();
    await picture("4-home-signed-in");
    await click(said(s4, "Continue as guest"));
    await site.executeHeading.waitFor();
    expect(await site.execute()).toMatch(new RegExp(`^${said(s4, "Not authorized")}`));
    await picture("4-guest");

    // 5. Geo block
    const s5 = readme.step("Geo block");
    ({ site, hostedUi } = await restart(flagsOf(code(s5, /^npm start/))));
    await expect(site.localBadge.textContent()).resolves.toBe("local · viewer country DE");
    await click(said(s5, "Continue"));
    await site.executeHeading.waitFor();
    expect(await site.execute()).toBe(said(s5, /^Blocked:/));
    await picture("5-blocked-geo");
    const decisions = (await (await fetch(onKit(code(s5, /waf\/decisions$/), kit!.endpoints))).json()) as {
      action: string;
      terminatingRule: string;
    }[];
    expect(decisions.map((d) => [d.action, d.terminatingRule])).toEqual([["BLOCK", "AllowedCountriesOnly"]]);
    expect(await (await fetch(`${kit!.endpoints.control}/invocations`)).json(), "never called").toEqual([]);

    // 6. Rate limit
    const s6 = readme.step("Rate limit");
    ({ site, hostedUi } = await restart(flagsOf(code(s6, /^npm start/))));
    await click(said(s6, "Continue"));
    await site.executeHeading.waitFor();
    const clicks = Number(/click \*Execute Lambda\* (\d+) times/.exec(s6.text)?.[1]);
    expect(clicks).toBeGreaterThan(1);
    let last = "";
    for (let i = 0; i < clicks; i++) last = await site.execute();
    expect(last).toBe(said(s6, /^Blocked:.*too many requests/));
    await picture("6-blocked-rate");

    // 7. Bypass
    const s7 = readme.step("Bypass");
    const curl = code(s7, /^curl /).replace(/http:\/\/127\.0\.0\.1:300\d\/\S*/, (url) =>
      onKit(url, kit!.endpoints),
    );
    const status = await run(curl);
    expect(status).toBe(Number(/gets (\d{3})/.exec(s7.text)?.[1]));

    // 8. Forgot your password?
    const s8 = readme.step("Forgot your password?");
    await site.open();
    await click(said(s8, "Sign In"));
    await page.waitForURL((u) => u.origin === new URL(kit!.endpoints.site).origin);
    await site.executeHeading.waitFor(); // the hosted UI session signed us in without a form
    await click(said(s8, "Sign out"));
    await site.homeHeading.waitFor();
    await click(said(s8, "Sign In"));
    await hostedUi.shows("login");
    await page.getByRole("link", { name: said(s8, "Forgot your password?"), exact: true }).click();
    await hostedUi.shows("forgotPassword");
    await page.getByLabel("Username", { exact: true }).fill(username);
    await click("Reset my password");
    await hostedUi.shows("confirmForgotPassword");
    const reset = (await listedCodes(codesUrl)).find((c) => c.username === username && c.purpose)!;
    expect(reset.purpose).toBe("forgotPassword");
    await page.getByLabel("Code", { exact: true }).fill(reset.code);
    await page.getByLabel("New password", { exact: true }).pressSequentially(newPassword);
    await page.getByLabel("Enter new password again", { exact: true }).fill(newPassword);
    expect(await hostedUi.metRequirements()).toHaveLength(5);
    await picture("8-reset-password");
    await click("Change password");
    await hostedUi.shows("login");
    await expect(page.locator("#infoMessage").textContent()).resolves.toContain(
      "Your password has been reset.",
    );
    await hostedUi.login(username, newPassword);
    await site.waitForCallback();
    // Signed in again (Execute Lambda would meet step 6's rate limit, as it would for a person).
    await page.getByText("You are signed in.").waitFor();
  });
});

/**
 * Runs a README curl line (its URL already on the kit) and returns the HTTP status it got. Where curl is
 * not installed (slim images), the same request goes out through fetch: curl's -X and -d, and the
 * form content type curl gives -d.
 */
async function run(commandLine: string): Promise<number> {
  const args = [...commandLine.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1);
  if (existsSync("/usr/bin/curl") || existsSync("/bin/curl")) {
    const { stdout } = await promisify(execFile)("curl", [
      ...args,
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
    ]);
    return Number(stdout.trim());
  }
  const option = (flag: string) => args[args.indexOf(flag) + 1];
  const url = args.find((a) => a.startsWith("http"))!;
  const body = args.includes("-d") ? option("-d") : undefined;
  const response = await fetch(url, {
    method: args.includes("-X") ? option("-X") : body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { body, headers: { "content-type": "application/x-www-form-urlencoded" } }),
  });
  await response.body?.cancel();
  return response.status;
}
