// The Cognito hosted UI pages (login, sign-up, confirm) as a user fills them in a browser.
import type { Locator, Page } from "playwright-core";

export type HostedUiPageName =
  | "login"
  | "signup"
  | "confirm"
  | "forgotPassword"
  | "confirmForgotPassword"
  | "error";

export class HostedUiPage {
  constructor(
    readonly page: Page,
    readonly cognitoUrl: string,
  ) {}

  /** Waits for one of the hosted UI pages (its `data-page`). */
  async shows(name: HostedUiPageName): Promise<void> {
    await this.page.locator(`main[data-page="${name}"]`).waitFor();
  }

  /** Name of the hosted UI page on screen, or undefined when the browser is elsewhere. */
  async current(): Promise<string | undefined> {
    if (new URL(this.page.url()).origin !== new URL(this.cognitoUrl).origin) return undefined;
    return (await this.page.locator("main[data-page]").getAttribute("data-page")) ?? undefined;
  }

  get error(): Locator {
    return this.page.locator("#errorMessage");
  }

  async errorText(): Promise<string> {
    return ((await this.error.textContent()) ?? "").trim();
  }

  private field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  /** Fills the login form and submits it (the page changes: back to the site, or the form with an error). */
  async login(username: string, password: string): Promise<void> {
    await this.shows("login");
    await this.field("Username").fill(username);
    await this.field("Password").fill(password);
    await this.submit("Sign in");
  }

  async openSignUp(): Promise<void> {
    await this.page.getByRole("link", { name: "Sign up" }).click();
    await this.shows("signup");
  }

  async signUp(user: { username: string; email: string; password: string }): Promise<void> {
    await this.shows("signup");
    await this.field("Username").fill(user.username);
    await this.field("Email").fill(user.email);
    await this.field("Password").fill(user.password);
    await this.submit("Sign up");
  }

  async confirm(code: string): Promise<void> {
    await this.shows("confirm");
    await this.field("Verification code").fill(code);
    await this.submit("Confirm account");
  }

  /** "Resend code" on the confirm page. */
  async resendCode(): Promise<void> {
    await this.shows("confirm");
    await this.submit("Resend code");
  }

  /** Login page -> "Forgot your password?" -> the username -> "Reset my password". */
  async forgotPassword(username: string): Promise<void> {
    await this.shows("login");
    await this.page.getByRole("link", { name: "Forgot your password?" }).click();
    await this.shows("forgotPassword");
    await this.field("Username").fill(username);
    await this.submit("Reset my password");
  }

  /** The reset page: the code, the new password twice, "Change password". */
  async resetPassword(code: string, password: string): Promise<void> {
    await this.shows("confirmForgotPassword");
    await this.field("Code").fill(code);
    await this.field("New password").fill(password);
    await this.field("Enter new password again").fill(password);
    await this.submit("Change password");
  }

  /** The sign-up page's requirement items that the page's script marks as met. */
  metRequirements(): Promise<string[]> {
    return this.page.locator('#passwordRequirements li[data-met="true"]').allTextContents();
  }

  /** The code "sent by email": the emulator's control endpoint lists pending confirmations. */
  async pendingConfirmationCode(username: string): Promise<string> {
    const response = await fetch(new URL("/_furl/cognito/confirmations", this.cognitoUrl));
    if (!response.ok) throw new Error(`confirmations endpoint answered ${response.status}`);
    const { confirmations } = (await response.json()) as {
      confirmations: { username: string; code: string }[];
    };
    const code = confirmations.find((c) => c.username === username)?.code;
    if (!code) throw new Error(`no pending confirmation code for ${username}`);
    return code;
  }

  /**
   * Clicks a submit button and waits until the answer page is committed (a form post always navigates;
   * redirects commit only their last page), so no check reads the page the form was on.
   */
  private async submit(name: string): Promise<void> {
    const committed = this.page.waitForEvent("framenavigated", (frame) => frame === this.page.mainFrame());
    await this.page.getByRole("button", { name, exact: true }).click();
    await committed;
    await this.page.waitForLoadState("domcontentloaded");
  }
}
