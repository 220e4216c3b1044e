// The kit console as a developer uses it: its tabs, the request rows, the function cards and the user table.
import type { Locator, Page } from "playwright-core";

export class ConsolePage {
  constructor(
    readonly page: Page,
    readonly url: string,
  ) {}

  /** Opens the console and waits until its event stream is live. */
  async open(): Promise<void> {
    await this.page.goto(this.url);
    await this.page.getByLabel("Live updates").filter({ hasText: "live" }).waitFor();
  }

  async showView(name: "Requests" | "Functions" | "Cognito" | "Deployment"): Promise<void> {
    await this.page.getByRole("tab", { name }).click();
  }

  /** The row of a viewer request, by its x-amz-cf-id. */
  requestRow(cloudFrontRequestId: string): Locator {
    return this.page.locator(`tr[data-request-id="${cloudFrontRequestId}"]`);
  }

  /** Opens a request's details (the row after it). */
  async openRequest(cloudFrontRequestId: string): Promise<Locator> {
    const row = this.requestRow(cloudFrontRequestId);
    await row.click();
    const details = row.locator("xpath=following-sibling::tr[1]");
    await details.waitFor();
    return details;
  }

  userRow(username: string): Locator {
    return this.page.locator(`tr[data-username="${username}"]`);
  }

  functionCard(): Locator {
    return this.page.locator('article[aria-label^="Function "]').first();
  }
}
