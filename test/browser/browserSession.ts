// One test's browser: a fresh context (own cookies, storage and viewer IP), its page objects and a log for failures.
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Kit } from "../../localdev/src/server.js";
import { uniqueViewerIp } from "../flows/steps.js";
import { redactCredentials, saveFailure } from "./artifacts.js";
import { DialogQueue } from "./dialogQueue.js";
import { HostedUiPage } from "./hostedUiPage.js";
import { SitePage } from "./sitePage.js";

export interface SessionOptions {
  /**
   * The viewer IP the kit sees (sent as X-Forwarded-For, which the test kit trusts). Each session gets its
   * own by default, so WAF rate counters of one test never leak into another.
   */
  viewerIp?: string;
}

export class BrowserSession {
  /** Console messages, page errors, alerts and navigations, written next to the screenshot when a test fails. */
  readonly log: string[] = [];
  /** Every page URL the tab showed, in order (hosted UI pages included). */
  readonly visited: string[] = [];
  /** Every URL the tab requested as a page, redirects included (pages it never showed, too). */
  readonly navigations: string[] = [];
  /** Authorization codes the hosted UI sent to the site, in order. */
  readonly callbackCodes: string[] = [];
  readonly dialogs: DialogQueue;
  readonly site: SitePage;
  readonly hostedUi: HostedUiPage;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly kit: Kit,
    readonly viewerIp: string,
  ) {
    this.dialogs = new DialogQueue(page);
    this.site = new SitePage(page, kit.endpoints.site, this.dialogs);
    this.hostedUi = new HostedUiPage(page, kit.endpoints.cognitoDomain);
    const siteOrigin = new URL(kit.endpoints.site).origin;
    page.on("console", (m) => this.log.push(`console.${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => this.log.push(`pageerror: ${e.message}`));
    page.on("dialog", (d) => this.log.push(`alert: ${d.message()}`));
    page.on("framenavigated", (frame) => {
      if (frame !== page.mainFrame()) return;
      this.visited.push(frame.url());
      this.log.push(`page: ${frame.url()}`);
    });
    page.on("request", (request) => {
      if (!request.isNavigationRequest()) return;
      this.navigations.push(request.url());
      const url = new URL(request.url());
      const code = url.searchParams.get("code");
      if (url.origin === siteOrigin && code) this.callbackCodes.push(code);
    });
  }

  static async open(browser: Browser, kit: Kit, options: SessionOptions = {}) {
    const viewerIp = options.viewerIp ?? uniqueViewerIp();
    const context = await browser.newContext();
    // Each session is its own viewer: X-Forwarded-For is added at the network layer, as a proxy in front of the
    // browser would, so the page's CORS requests stay exactly what the page sends (the kit trusts XFF in tests).
    const cloudfront = new URL(kit.endpoints.cloudfront).origin;
    await context.route(
      (url) => url.origin === cloudfront,
      (route) => route.continue({ headers: { ...route.request().headers(), "x-forwarded-for": viewerIp } }),
    );
    const page = await context.newPage();
    return new BrowserSession(context, page, kit, viewerIp);
  }

  /** True when the tab showed the hosted UI's login form at some point after `fromIndex` in `visited`. */
  sawLoginFormSince(fromIndex: number): boolean {
    const cognitoOrigin = new URL(this.kit.endpoints.cognitoDomain).origin;
    return this.visited.slice(fromIndex).some((u) => {
      const url = new URL(u);
      return url.origin === cognitoOrigin && url.pathname === "/login";
    });
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

/** What a test needs to open sessions; the test file fills it in beforeAll. */
export interface TierFixture {
  browser: Browser;
  kit: Kit;
}

/**
 * Runs `body` with a fresh session, closing it afterwards; on failure saves
 * test-results/browser/<test>.png and .log, then rethrows.
 */
export async function withSession(
  fixture: TierFixture,
  testName: string,
  body: (session: BrowserSession) => Promise<void>,
  options: SessionOptions = {},
): Promise<void> {
  const session = await BrowserSession.open(fixture.browser, fixture.kit, options);
  try {
    await body(session);
  } catch (error) {
    session.log.push(`error: ${redactCredentials(String((error as Error)?.stack ?? error))}`);
    await saveFailure(testName, session.page, session.log);
    throw error;
  } finally {
    await session.close();
  }
}
