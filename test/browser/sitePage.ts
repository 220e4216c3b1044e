// The furl-kit page as a user sees it: buttons found by role and name, alerts, the status region.
import type { Locator, Page } from "playwright-core";
import type { DialogQueue } from "./dialogQueue.js";

/** Texts the page shows (web/src/messages.ts), repeated here as a user reads them. */
export const pageTexts = {
  homeHeading: "Lambda Function URL demo",
  executeHeading: "Execute the Lambda function",
  authenticatedAs: (username: string) =>
    `You are authenticated as ${username}. Lambda execution was successful.`,
  signedInAs: (username: string) => `Signed in as ${username}`,
  continue: "Continue",
  continueSignedIn: "Continue signed in",
  continueAsGuest: "Continue as guest",
};

export class SitePage {
  constructor(
    readonly page: Page,
    readonly siteUrl: string,
    private readonly dialogs: DialogQueue,
  ) {}

  get homeHeading(): Locator {
    return this.page.getByRole("heading", { name: pageTexts.homeHeading });
  }

  get executeHeading(): Locator {
    return this.page.getByRole("heading", { name: pageTexts.executeHeading });
  }

  /** The live region under the buttons ("No call made yet." or the last outcome). */
  get status(): Locator {
    return this.page.locator(".status[role=status]");
  }

  get localBadge(): Locator {
    return this.page.locator(".local-badge");
  }

  button(name: string): Locator {
    return this.page.getByRole("button", { name, exact: true });
  }

  /** Opens the site (optionally with a query such as `?code=...`) and waits until its config is loaded. */
  async open(query = ""): Promise<void> {
    await this.page.goto(`${this.siteUrl}${query}`);
    await this.ready();
  }

  /** Waits for the home or the execute page (the config has loaded and the app rendered). */
  async ready(): Promise<void> {
    await this.homeHeading.or(this.executeHeading).waitFor();
  }

  isOnSite(): boolean {
    return new URL(this.page.url()).origin === new URL(this.siteUrl).origin;
  }

  /** Home -> "Sign In": leaves for the hosted UI. */
  async clickSignIn(): Promise<void> {
    await this.button("Sign In").click();
    await this.page.waitForURL((url) => url.origin !== new URL(this.siteUrl).origin);
  }

  /** Home -> "Continue" ("Continue as guest" when signed in): the execute page as a guest. */
  async continueAsGuest(): Promise<void> {
    const signedIn = await this.button(pageTexts.continueSignedIn).isVisible();
    await this.button(signedIn ? pageTexts.continueAsGuest : pageTexts.continue).click();
    await this.executeHeading.waitFor();
  }

  /** Home, signed in -> "Continue signed in": the execute page, still signed in. */
  async continueSignedIn(): Promise<void> {
    await this.button(pageTexts.continueSignedIn).click();
    await this.executeHeading.waitFor();
  }

  /** Waits until the hosted UI has sent the browser back to the site's execute page. */
  async waitForCallback(): Promise<void> {
    await this.page.waitForURL((url) => url.origin === new URL(this.siteUrl).origin);
    await this.executeHeading.waitFor();
  }

  /** Clicks "Execute Lambda" and returns the alert's message (also when the click goes through the hosted UI first). */
  async execute(): Promise<string> {
    this.dialogs.clear();
    const alert = this.dialogs.next();
    await this.button("Execute Lambda").click();
    const message = await alert;
    // The status region is rendered before the alert; wait for the button too, so screenshots show the end state.
    await this.button("Execute Lambda").waitFor();
    return message;
  }

  async statusText(): Promise<string> {
    return ((await this.status.textContent()) ?? "").replace(/\s+/g, " ").trim();
  }

  async returnHome(): Promise<void> {
    await this.button("Return to Home Page").click();
    await this.homeHeading.waitFor();
  }

  /** "Sign out": the hosted UI's /logout, which sends the browser back to the site's home. */
  async signOut(): Promise<void> {
    // The redirect chain commits only the site's page, so wait for that new document rather than for a URL.
    const reloaded = this.page.waitForEvent("framenavigated", (frame) => frame === this.page.mainFrame());
    await this.button("Sign out").click();
    await reloaded;
    await this.homeHeading.waitFor();
  }
}
