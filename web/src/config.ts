// Fetches and validates the runtime web config (/config.json) written at deploy time or by the local kit.

/** Runtime configuration of the page; "local" is present only when the local kit serves the site. */
export interface WebConfig {
  /** Cognito hosted UI authorize URL (…/oauth2/authorize?client_id=…&redirect_uri=…). */
  signInUrl: string;
  /** Cognito /logout URL with logout_uri back to the site. */
  signOutUrl: string;
  /** CloudFront URL in front of the Function URL. */
  apiUrl: string;
  local?: { viewerCountry: string };
}

/** Thrown when /config.json cannot be loaded or does not have the expected shape. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Where the site serves its runtime config. */
export const configPath = "/config.json";

function requireHttpUrl(raw: Record<string, unknown>, key: "signInUrl" | "signOutUrl" | "apiUrl"): string {
  const value = raw[key];
  if (typeof value !== "string" || value === "") {
    throw new ConfigError(`config.json: "${key}" must be a non-empty string.`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`config.json: "${key}" is not an absolute URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`config.json: "${key}" must be an http(s) URL.`);
  }
  return value;
}

/**
 * Checks an already parsed config.json value and returns a typed copy holding only known fields.
 * @throws ConfigError naming the first field that is wrong.
 */
export function parseWebConfig(value: unknown): WebConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError("config.json must hold a JSON object.");
  }
  const raw = value as Record<string, unknown>;
  const config: WebConfig = {
    signInUrl: requireHttpUrl(raw, "signInUrl"),
    signOutUrl: requireHttpUrl(raw, "signOutUrl"),
    apiUrl: requireHttpUrl(raw, "apiUrl"),
  };
  if (raw.local !== undefined) {
    const local = raw.local as Record<string, unknown> | null;
    const country = typeof local === "object" && local !== null ? local.viewerCountry : undefined;
    if (typeof country !== "string" || !/^[A-Z]{2}$/.test(country)) {
      throw new ConfigError(
        'config.json: "local.viewerCountry" must be a two-letter country code like "US".',
      );
    }
    config.local = { viewerCountry: country };
  }
  return config;
}

/**
 * Loads and validates the runtime config.
 * @param fetchFn injected fetch (the browser's in the page, a stub in tests)
 * @throws ConfigError with a message fit for the error panel.
 */
export async function loadWebConfig(fetchFn: typeof fetch, path: string = configPath): Promise<WebConfig> {
  let response: Response;
  try {
    // no-store: the file changes on every deploy and local restart, a stale copy would point at old URLs.
    response = await fetchFn(path, { cache: "no-store", headers: { accept: "application/json" } });
  } catch {
    throw new ConfigError(`Could not reach ${path}.`);
  }
  if (!response.ok) {
    throw new ConfigError(`Could not load ${path} (HTTP ${response.status}).`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ConfigError(`${path} is not valid JSON.`);
  }
  return parseWebConfig(body);
}

/** Sign-in URL asking the hosted UI to come back with state=execute, so the page runs the call on return. */
export function reauthUrl(signInUrl: string): string {
  // Appended as text: re-serialising the query could alter redirect_uri, which Cognito matches exactly.
  return `${signInUrl}${signInUrl.includes("?") ? "&" : "?"}state=execute`;
}

/** Text of the local badge, or null when the page is not served by the local kit (always on AWS). */
export function localBadge(config: WebConfig): { viewerCountry: string } | null {
  return config.local ? { viewerCountry: config.local.viewerCountry } : null;
}
