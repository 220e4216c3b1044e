// The browser facilities the page uses, behind one interface so components render in Node tests.
import type { SessionStorageLike } from "./session.js";
import { MemoryStorage } from "./session.js";

export interface PageEnvironment {
  fetchFn: typeof fetch;
  storage: SessionStorageLike;
  /** Full-page navigation (hosted UI sign-in and sign-out). */
  navigate(url: string): void;
  alert(message: string): void;
}

function sessionStorageOrMemory(): SessionStorageLike {
  try {
    // Accessing sessionStorage throws in some privacy modes; the page still works for one page view.
    const storage = window.sessionStorage;
    storage.getItem("furl-kit.probe");
    return storage;
  } catch {
    return new MemoryStorage();
  }
}

/** The real browser environment. */
export function browserEnvironment(): PageEnvironment {
  return {
    fetchFn: (input, init) => window.fetch(input, init),
    storage: sessionStorageOrMemory(),
    navigate: (url) => window.location.assign(url),
    alert: (message) => window.alert(message),
  };
}
