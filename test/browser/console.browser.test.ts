// The kit console in Chromium: what a developer sees of a blocked request, an authenticated one, a user to
// confirm and a direct invocation, while the kit serves real traffic.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute, hostedUi, newUser, signUp, uniqueViewerIp } from "../flows/steps.js";
import { startTestKit, type TestKit } from "../integration/kitTarget.js";
import { saveFailure, saveScreenshot } from "./artifacts.js";
import { browserTierAvailable, launchChromium } from "./chromium.js";
import { ConsolePage } from "./consolePage.js";

const available = browserTierAvailable();

describe.skipIf(!available)("the kit console in Chromium", () => {
  let testKit: TestKit;
  let browser: Browser;

  beforeAll(async () => {
    [testKit, browser] = await Promise.all([startTestKit(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await testKit?.close();
  });

  /** A fresh tab on the console; a failure leaves its screenshot under test-results/browser/. */
  const withConsole = (name: string, body: (console: ConsolePage) => Promise<void>) =>
    it(name, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const log: string[] = [];
      page.on("console", (m) => log.push(`console.${m.type()}: ${m.text()}`));
      page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
      try {
        const console = new ConsolePage(page, testKit.kit.endpoints.console);
        await console.open();
        await body(console);
        expect(
          log.filter((line) => line.startsWith("pageerror")),
          "no page errors",
        ).toEqual([]);
      } catch (error) {
        log.push(`error: ${String((error as Error)?.stack ?? error)}`);
        await saveFailure(name, page, log);
        throw error;
      } finally {
        await context.close();
      }
    });

  withConsole(
    "a blocked request appears with the rule that blocked it, as written in the template",
    async (c) => {
      const blocked = await execute(testKit.target, undefined, { country: "DE", viewerIp: uniqueViewerIp() });
      expect(blocked.status).toBe(403);
      const cfId = blocked.headers.get("x-amz-cf-id")!;

      const row = c.requestRow(cfId);
      await expect(row.textContent()).resolves.toContain("BLOCK · AllowedCountriesOnly");
      await expect(row.textContent()).resolves.toContain("DE");
      await c.page.getByLabel("Blocked only").check();
      await row.waitFor();
      const details = await c.openRequest(cfId);
      await expect(details.textContent()).resolves.toContain("The function did not run for this request.");
      await details.getByRole("button", { name: "AllowedCountriesOnly" }).click();

      const rule = c.page.getByRole("region", { name: "Rule AllowedCountriesOnly" });
      const written = JSON.parse((await rule.locator("pre").textContent()) ?? "{}");
      const template = testKit.kit.deployment.webAcls[0]!;
      expect(written.Name).toBe("AllowedCountriesOnly");
      expect(JSON.stringify(written)).toContain("GeoMatchStatement");
      expect(await rule.textContent()).toContain(template.logicalId);
      await saveScreenshot(c.page, "console-blocked-request");
    },
  );

  withConsole("an authenticated request shows its invocation and the function's log lines", async (c) => {
    const user = newUser("console");
    const code = await signUp(testKit.target, hostedUi(testKit.target), user);
    expect((await execute(testKit.target, undefined, { viewerIp: uniqueViewerIp() })).status).toBe(401);
    const answer = await execute(testKit.target, code, { viewerIp: uniqueViewerIp() });
    expect(answer.status).toBe(200);
    const lambdaId = answer.headers.get("x-amzn-requestid");
    const cfId = answer.headers.get("x-amz-cf-id")!;

    await c
      .requestRow(cfId)
      .getByText(/(cold|warm) · success/)
      .waitFor();
    const details = await c.openRequest(cfId);
    const invocation = details.locator("div.wide");
    await expect(invocation.textContent()).resolves.toContain(lambdaId ?? "no request id header");
    const logs = details.getByLabel("Invocation log lines");
    await logs.getByText(`REPORT RequestId: ${lambdaId}`).waitFor();
    await expect(logs.textContent()).resolves.toContain('"reason":"authenticated"');
    // The function masks the code and tokens it logs; the console masks anything token-shaped besides.
    await expect(c.page.content()).resolves.not.toContain(code);
    await saveScreenshot(c.page, "console-requests");
  });

  withConsole("confirming a user from the console lets that user sign in", async (c) => {
    const user = newUser("unconfirmed");
    const ui = hostedUi(testKit.target);
    await ui.authorize({
      clientId: testKit.target.clientId,
      redirectUri: testKit.target.siteUrl,
      scope: "openid email",
    });
    await ui.openSignUp();
    const confirmPage = await ui.signUp(user);
    expect(confirmPage.page?.name).toBe("confirm");
    await expect(
      hostedUi(testKit.target).signInForCode({
        clientId: testKit.target.clientId,
        redirectUri: testKit.target.siteUrl,
        scope: "openid email",
        ...user,
      }),
      "an unconfirmed user cannot sign in",
    ).rejects.toThrow();

    await c.showView("Cognito");
    const row = c.userRow(user.username);
    await expect(row.textContent()).resolves.toContain("UNCONFIRMED");
    const codes = c.page.getByRole("table", { name: "Pending codes" });
    const pendingCode = codes.getByRole("cell", { name: user.username, exact: true });
    await pendingCode.waitFor();
    await row.getByRole("button", { name: "Confirm" }).click();
    await row.getByText("CONFIRMED", { exact: true }).waitFor();
    await pendingCode.waitFor({ state: "detached" });
    await saveScreenshot(c.page, "console-cognito");

    const { code } = await hostedUi(testKit.target).signInForCode({
      clientId: testKit.target.clientId,
      redirectUri: testKit.target.siteUrl,
      scope: "openid email",
      ...user,
    });
    const answer = await execute(testKit.target, code, { viewerIp: uniqueViewerIp() });
    expect(answer.status).toBe(200);
    expect(answer.body?.username).toBe(user.username);
  });

  withConsole("the invoke form sends the event straight to the function and shows its answer", async (c) => {
    await c.showView("Functions");
    const card = c.functionCard();
    await expect(card.textContent()).resolves.toContain(testKit.kit.deployment.functions[0]!.name);
    // An event that did not come through CloudFront: the handler itself refuses it.
    await card.getByLabel("Event (JSON)").fill('{"rawPath": "/", "headers": {}}');
    await card.getByRole("button", { name: "Invoke" }).click();
    const result = card.getByRole("region", { name: "Invoke result" });
    await result.waitFor();
    const payload = JSON.parse((await result.getByRole("region", { name: "Payload" }).textContent()) ?? "{}");
    expect(payload.statusCode).toBe(403);
    expect(JSON.parse(payload.body).message).toBe(
      "Forbidden: requests must come through the CloudFront distribution.",
    );
    await result
      .getByLabel("Invoke log lines")
      .getByText(/^REPORT RequestId/)
      .waitFor();
    await expect(result.getByLabel("Invoke log lines").textContent()).resolves.toContain(
      "origin header missing",
    );
    await expect(card.getByLabel("Instances").textContent()).resolves.toMatch(/[1-9]\d* warm · 0 busy/);

    await card.getByLabel("Event (JSON)").fill("{not json");
    await card.getByRole("button", { name: "Invoke" }).click();
    await expect(card.getByRole("alert").textContent()).resolves.toContain("The event is not JSON");
  });
});
