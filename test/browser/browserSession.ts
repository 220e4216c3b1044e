// One test's browser: a fresh context (own cookies, storage and viewer IP), its page objects and a log for failures.
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Kit } from "../../localdev/src/index.js";
import { uniqueViewerIp } from "../flows/steps.js";
import { redactCredentials, saveFailure } from "./artifacts.js";
import { DialogQueue } from "./dialogQueue.js";
import { HostedUiPage } from "./hostedUiPage.js";
import { SitePage } from "./sitePage.js";
import { startViewerProxy, type ViewerProxy } from "./viewerProxy.js";

export interface SessionOptions {
  /**
   * The viewer IP the kit sees (stamped as X-Forwarded-For by a proxy in front of the browser; the test
   * kit trusts it). Each session gets its own by default, so WAF rate counters of one test never leak into
   * another. `"as-is"`: no proxy, the browser exactly as a person runs it (the kit sees 127.0.0.1).
   */
  viewerIp?: string | "as-is";
}

/** What a session needs of a kit: its URLs (an in-process kit, or one started with `npm start`). */
export type KitUrls = Pick<Kit, "endpoints">;

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
    readonly kit: KitUrls,
    readonly viewerIp: string,
    private readonly proxy?: ViewerProxy,
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

  static async open(browser: Browser, kit: KitUrls, options: SessionOptions = {}) {
    if (options.viewerIp === "as-is") {
      const context = await browser.newContext();
      return new BrowserSession(context, await context.newPage(), kit, "127.0.0.1");
    }
    const viewerIp = options.viewerIp ?? uniqueViewerIp();
    // No request interception (context.route): Playwright would answer CORS preflights itself, and the
    // tier would pass where a person's browser fails. A real proxy keeps every request the browser's own.
    const proxy = await startViewerProxy(viewerIp);
    const context = await browser.newContext({ proxy: { server: proxy.server } });
    return new BrowserSession(context, await context.newPage(), kit, viewerIp, proxy);
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
    await this.proxy?.close();
  }
}

/** What a test needs to open sessions; the test file fills it in beforeAll. */
export interface TierFixture {
  browser: Browser;
  kit: KitUrls;
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
