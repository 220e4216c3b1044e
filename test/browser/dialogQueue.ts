// Accepts every alert a page opens and hands their messages to the test in order.
import type { Page } from "playwright-core";

/** The page's alerts as a queue: `next()` resolves with the next message, or fails after `timeoutMs`. */
export class DialogQueue {
  /** Every message seen so far, for the failure log. */
  readonly seen: string[] = [];
  private readonly unread: string[] = [];
  private readonly waiters: ((message: string) => void)[] = [];

  constructor(page: Page) {
    page.on("dialog", (dialog) => {
      const message = dialog.message();
      this.seen.push(message);
      // An unanswered alert blocks the page's scripts; accepting is what a user clicking OK does.
      void dialog.accept().catch(() => undefined);
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.unread.push(message);
    });
  }

  /** Forgets alerts nobody asked for yet, so the next `next()` is about the next action. */
  clear(): void {
    this.unread.length = 0;
  }

  next(timeoutMs = 20_000): Promise<string> {
    const message = this.unread.shift();
    if (message !== undefined) return Promise.resolve(message);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no alert within ${timeoutMs} ms (alerts so far: ${JSON.stringify(this.seen)})`));
      }, timeoutMs);
      const waiter = (text: string) => {
        clearTimeout(timer);
        resolve(text);
      };
      this.waiters.push(waiter);
    });
  }
}
