// Sign-in session kept in sessionStorage: the single-use code from the callback URL, the signed-in flag, the username.

/** The part of the Web Storage API the session needs (sessionStorage in the page, a fake in tests). */
export type SessionStorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const keys = {
  code: "furl-kit.code",
  signedIn: "furl-kit.signedIn",
  username: "furl-kit.username",
} as const;

/** What the hosted UI put in the address bar when it redirected back to the site. */
export interface CallbackParams {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
  /** The same URL without the OAuth parameters, for history.replaceState; absent when nothing to remove. */
  cleanUrl?: string;
}

const oauthParams = ["code", "state", "error", "error_description"];

/** Reads code/state (or error) from a callback URL; Cognito puts them in the query, never the fragment. */
export function readCallback(href: string): CallbackParams {
  const url = new URL(href);
  const params = url.searchParams;
  const result: CallbackParams = {};
  const code = params.get("code");
  const state = params.get("state");
  const error = params.get("error");
  const errorDescription = params.get("error_description");
  if (code) result.code = code;
  if (state) result.state = state;
  if (error) result.error = error;
  if (errorDescription) result.errorDescription = errorDescription;
  if (oauthParams.some((name) => params.has(name))) {
    for (const name of oauthParams) params.delete(name);
    result.cleanUrl = `${url.pathname}${url.search}${url.hash}`;
  }
  return result;
}

/** Sign-in state of this browser tab. A code is handed out once, then forgotten. */
export class Session {
  constructor(private readonly storage: SessionStorageLike) {}

  /** Keeps a fresh code from the callback and marks the tab as signed in. */
  acceptCode(code: string): void {
    this.storage.setItem(keys.code, code);
    this.storage.setItem(keys.signedIn, "true");
  }

  /** Returns the unused code and forgets it, so it can never be sent twice. */
  takeCode(): string | undefined {
    const code = this.storage.getItem(keys.code) ?? undefined;
    this.storage.removeItem(keys.code);
    return code || undefined;
  }

  hasUnusedCode(): boolean {
    return Boolean(this.storage.getItem(keys.code));
  }

  isSignedIn(): boolean {
    return this.storage.getItem(keys.signedIn) === "true";
  }

  username(): string | undefined {
    return this.storage.getItem(keys.username) || undefined;
  }

  rememberUsername(username: string): void {
    this.storage.setItem(keys.username, username);
  }

  /** Forgets everything (sign out). */
  clear(): void {
    for (const key of Object.values(keys)) this.storage.removeItem(key);
  }
}

/** In-memory storage for tests and for browsers where sessionStorage is unavailable (privacy modes). */
export class MemoryStorage implements SessionStorageLike {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}
