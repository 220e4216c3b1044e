// The ten user flows of test/flows/flows.ts, driven through the real page and hosted UI in headless Chromium.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostedUi, newUser, signUp, type User } from "../flows/steps.js";
import { startTestKit, type TestKit } from "../integration/kitTarget.js";
import { saveScreenshot } from "./artifacts.js";
import { type BrowserSession, type TierFixture, withSession } from "./browserSession.js";
import { browserTierAvailable, launchChromium } from "./chromium.js";
import { npmStart } from "./npmStart.js";
import { pageTexts } from "./sitePage.js";

const available = browserTierAvailable();

describe.skipIf(!available)("flows in Chromium (embedded kit)", () => {
  let testKit: TestKit;
  const fixture = {} as TierFixture;

  beforeAll(async () => {
    const [kit, browser] = await Promise.all([startTestKit(), launchChromium()]);
    testKit = kit;
    fixture.kit = kit.kit;
    fixture.browser = browser;
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await testKit?.close();
  });

  /** A user who already exists: signed up through the hosted UI over HTTP, as another browser would. */
  async function existingUser(): Promise<User> {
    const user = newUser("existing");
    await signUp(testKit.target, hostedUi(testKit.target), user);
    return user;
  }

  /** (Home) -> Sign In -> login form -> back on the site's execute page with a code. */
  async function signInThroughUi(session: BrowserSession, user: User): Promise<void> {
    await session.site.open();
    if (await session.site.executeHeading.isVisible()) await session.site.returnHome();
    await session.site.clickSignIn();
    await session.hostedUi.login(user.username, user.password);
    await session.site.waitForCallback();
  }

  const flow = (name: string, body: (session: BrowserSession) => Promise<void>) =>
    it(name, () => withSession(fixture, name, body));

  flow("1. sign up, confirm with the code, execute: authenticated", async (s) => {
    const user = newUser("signup");
    await s.site.open();
    await expect(s.site.localBadge.textContent()).resolves.toBe("local · viewer country US");
    await saveScreenshot(s.page, "home");
    await s.site.localBadge.screenshot({ path: await saveScreenshot(s.page, "local-badge") });
    await s.site.clickSignIn();
    await s.hostedUi.shows("login");
    await saveScreenshot(s.page, "hosted-ui-login");
    await s.hostedUi.openSignUp();
    await saveScreenshot(s.page, "hosted-ui-sign-up");
    await s.hostedUi.signUp(user);
    await s.hostedUi.shows("confirm");
    await expect(s.page.locator("#confirmUsername").textContent()).resolves.toBe(user.username);
    await saveScreenshot(s.page, "hosted-ui-confirm");
    await s.hostedUi.confirm(await s.hostedUi.pendingConfirmationCode(user.username));
    await s.site.waitForCallback();
    expect(s.callbackCodes).toHaveLength(1);
    expect(s.page.url(), "the code is removed from the address bar").not.toContain("code=");

    const alert = await s.site.execute();
    expect(alert).toBe(pageTexts.authenticatedAs(user.username));
    expect(await s.site.statusText()).toContain(pageTexts.authenticatedAs(user.username));
    await s.page.getByText(pageTexts.signedInAs(user.username)).waitFor();
    await saveScreenshot(s.page, "execute-signed-in");
  });

  flow("2. sign in with an existing user, execute: authenticated", async (s) => {
    const user = await existingUser();
    await s.site.open();
    await s.site.clickSignIn();
    await s.hostedUi.shows("login");
    await s.hostedUi.login(user.username, user.password);
    await s.site.waitForCallback();
    expect(await s.site.execute()).toBe(pageTexts.authenticatedAs(user.username));
  });

  flow("3. execute again while signed in: a fresh single-use code, no password", async (s) => {
    const user = await existingUser();
    await signInThroughUi(s, user);
    expect(await s.site.execute()).toBe(pageTexts.authenticatedAs(user.username));
    const visitedBefore = s.visited.length;
    const requestedBefore = s.navigations.length;

    // The code is spent: the click goes through the hosted UI session and comes back with a new one.
    expect(await s.site.execute()).toBe(pageTexts.authenticatedAs(user.username));
    expect(s.sawLoginFormSince(visitedBefore), "no login form while the hosted UI session lasts").toBe(false);
    const authorize = `${testKit.kit.endpoints.cognitoDomain}/oauth2/authorize`;
    expect(s.navigations.slice(requestedBefore).some((u) => u.startsWith(authorize))).toBe(true);
    expect(s.callbackCodes).toHaveLength(2);
    expect(s.callbackCodes[1]).not.toBe(s.callbackCodes[0]);
  });

  flow("4. guest: continue without signing in, execute: not authorized", async (s) => {
    await s.site.open();
    await s.site.continueAsGuest();
    await expect(s.site.statusText()).resolves.toBe("No call made yet.");
    const alert = await s.site.execute();
    expect(alert).toMatch(/^Not authorized/);
    expect(await s.site.statusText()).toContain(alert);
    await saveScreenshot(s.page, "execute-guest");
  });

  it("5. geo block: a viewer outside US/Canada is blocked by WAF and the function is not invoked", async () => {
    // As a person does it: `npm start -- --viewer-country DE`, then the page in a browser with nothing between.
    const germany = await npmStart(["--viewer-country", "DE", "--no-watch"]);
    try {
      const geoFixture: TierFixture = { browser: fixture.browser, kit: germany };
      await withSession(
        geoFixture,
        "5. geo block",
        async (s) => {
          await s.site.open();
          await expect(s.site.localBadge.textContent()).resolves.toBe("local · viewer country DE");
          await s.site.continueAsGuest();
          const alert = await s.site.execute();
          expect(alert).toBe("Blocked: Request blocked by AWS WAF: your country is not allowed.");
          expect(await s.site.statusText()).toContain(alert);
          expect(s.log.join("\n"), "no CORS failure in the console").not.toMatch(/CORS|preflight/i);
          const control = germany.endpoints.control;
          const decisions = (await (await fetch(`${control}/waf/decisions`)).json()) as { method: string }[];
          expect(
            decisions.map((d) => d.method),
            "one request, the POST itself, judged by WAF",
          ).toEqual(["POST"]);
          expect(await (await fetch(`${control}/invocations`)).json(), "the function never ran").toEqual([]);
          await saveScreenshot(s.page, "execute-blocked-geo");

          // The banner a person reads at that start: a hosted UI link that answers, no advice to do what
          // they just did, and each WAF gap named once.
          const banner = germany.output();
          const hostedUi = /Cognito hosted UI {2}(\S+)/.exec(banner)?.[1] ?? "";
          expect((await fetch(hostedUi, { redirect: "manual" })).status).toBe(302);
          expect(banner).not.toContain("restart with --viewer-country DE");
          expect(banner).toContain("restart without --viewer-country");
          expect(banner).not.toMatch(/cognito:cognito/);
          const gap = /WAF: Rule "AWSManagedRulesLinuxRuleSet"/g;
          expect(banner.match(gap)).toHaveLength(1);
        },
        { viewerIp: "as-is" },
      );
    } finally {
      await germany.close();
    }
  });

  flow("6. return to home and sign out: the next sign-in asks for the password again", async (s) => {
    const user = await existingUser();
    await signInThroughUi(s, user);
    await s.site.returnHome();
    await s.site.continueSignedIn();
    await s.site.signOut();
    expect(s.site.isOnSite()).toBe(true);
    await s.site.homeHeading.waitFor();
    await s.site.clickSignIn();
    await s.hostedUi.shows("login");
  });

  flow("7. bad codes: a forged code and a reused code are not authorized", async (s) => {
    await s.site.open(`?code=${randomUUID()}`);
    await s.site.executeHeading.waitFor();
    expect(await s.site.execute()).toMatch(/^Not authorized/);

    const user = await existingUser();
    await signInThroughUi(s, user);
    const code = s.callbackCodes.at(-1)!;
    expect(await s.site.execute()).toBe(pageTexts.authenticatedAs(user.username));
    await s.site.open(`?code=${encodeURIComponent(code)}`);
    const reused = await s.site.execute();
    expect(reused).toMatch(/^Not authorized/);
    expect(reused).toMatch(/invalid, expired or already used/);
  });

  it("8. rate limit: one client over the limit is blocked, another client is not", () =>
    withSession(fixture, "8. rate limit (noisy client)", async (noisy) => {
      const limit = testKit.target.rateLimit;
      await noisy.site.open();
      await noisy.site.continueAsGuest();
      const apiUrl = testKit.kit.endpoints.cloudfront;
      const statuses = await noisy.page.evaluate(
        async ({ url, count }) => {
          const out: number[] = [];
          for (let i = 0; i < count; i++) {
            // The page's own request shape: a CORS-simple POST.
            const response = await fetch(url, { method: "POST", body: "{}", credentials: "omit" });
            out.push(response.status);
          }
          return out;
        },
        { url: apiUrl, count: limit },
      );
      expect(statuses[0], "under the limit the function answers").toBe(401);
      const alert = await noisy.site.execute();
      expect(alert).toMatch(/^Blocked: /);
      expect(alert).toMatch(/too many requests/);
      await saveScreenshot(noisy.page, "execute-blocked-rate");

      await withSession(fixture, "8. rate limit (quiet client)", async (quiet) => {
        expect(quiet.viewerIp).not.toBe(noisy.viewerIp);
        await quiet.site.open();
        await quiet.site.continueAsGuest();
        expect(await quiet.site.execute()).toMatch(/^Not authorized/);
      });
    }));

  flow("9. bypass: calling the Function URL directly is refused", async (s) => {
    const user = await existingUser();
    await signInThroughUi(s, user);
    const functionUrl = testKit.kit.endpoints.functionUrl;
    const code = s.callbackCodes.at(-1)!;
    const fromPage = await s.page.evaluate(
      async ({ url, code }) => {
        try {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ code }),
          });
          return { status: response.status };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url: functionUrl, code },
    );
    // Either the browser refuses it (no CORS grant for the Function URL) or the function answers 403.
    expect("error" in fromPage || fromPage.status === 403, JSON.stringify(fromPage)).toBe(true);

    const direct = await s.page.request.post(functionUrl, { data: { code } });
    expect(direct.status()).toBe(403);
    expect(((await direct.json()) as { message: string }).message).toMatch(/CloudFront/);

    // The refused calls did not spend the code: through CloudFront it still works.
    expect(await s.site.execute()).toBe(pageTexts.authenticatedAs(user.username));
  });

  flow("10. hosted UI errors: wrong password, unknown user, weak password, existing username", async (s) => {
    const user = await existingUser();
    await s.site.open();
    await s.site.clickSignIn();
    await s.hostedUi.login(user.username, "Wrong-password-1!");
    await s.hostedUi.shows("login");
    expect(await s.hostedUi.errorText()).toBe("Incorrect username or password.");
    await saveScreenshot(s.page, "hosted-ui-login-error");

    await s.hostedUi.login(`nobody${randomUUID().slice(0, 8)}`, "Whatever-1!");
    expect(await s.hostedUi.errorText()).toBe("Incorrect username or password.");

    await s.hostedUi.openSignUp();
    await s.hostedUi.signUp({ ...newUser("weak"), password: "weakpassword" });
    await s.hostedUi.shows("signup");
    expect(await s.hostedUi.errorText()).toMatch(/^Password did not conform with policy/);
    await saveScreenshot(s.page, "hosted-ui-sign-up-error");

    await s.hostedUi.signUp({ ...newUser("dup"), username: user.username });
    await s.hostedUi.shows("signup");
    expect(await s.hostedUi.errorText()).toBe("User already exists");
    expect(s.callbackCodes, "no redirect back to the site").toEqual([]);
    expect(s.site.isOnSite()).toBe(false);
  });
});
