// The stack's tunable settings: defaults, validation, and `cdk -c key=value` context overrides.

export type DeployTarget = "aws" | "localstack";

/** Settings a user may tune; each has a default. */
export interface FurlKitSettings {
  /** ISO 3166 alpha-2 country codes the WAF lets through; every other country gets a 403. */
  allowedCountries: string[];
  /** Requests per IP per 5 minutes before the WAF rate rule blocks (WAF minimum: 10). */
  rateLimit: number;
  /** Site origin (scheme + host, no trailing slash); undefined means the Amplify branch URL. */
  siteOrigin?: string;
  /** Where the stack is deployed; only identity/site wiring may differ between targets. */
  target: DeployTarget;
}

export const DEFAULT_SETTINGS: FurlKitSettings = {
  allowedCountries: ["US", "CA"],
  rateLimit: 100,
  target: "aws",
};

/** Thrown for a setting that would synthesize a broken or unsafe stack. */
export class InvalidSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidSettingError";
  }
}

/**
 * Checks settings and fills defaults.
 * @throws InvalidSettingError naming the bad setting and what is accepted.
 */
export function validateSettings(partial: Partial<FurlKitSettings> = {}): FurlKitSettings {
  const settings: FurlKitSettings = { ...DEFAULT_SETTINGS, ...withoutUndefined(partial) };
  if (settings.allowedCountries.length === 0) {
    throw new InvalidSettingError("allowedCountries must name at least one country (e.g. US,CA)");
  }
  for (const code of settings.allowedCountries) {
    if (!/^[A-Z]{2}$/.test(code)) {
      throw new InvalidSettingError(`allowedCountries: "${code}" is not an ISO 3166 alpha-2 code like US`);
    }
  }
  // WAF rejects rate limits under 10 and above 2,000,000,000.
  if (
    !Number.isInteger(settings.rateLimit) ||
    settings.rateLimit < 10 ||
    settings.rateLimit > 2_000_000_000
  ) {
    throw new InvalidSettingError(
      `rateLimit must be an integer from 10 to 2000000000, got ${settings.rateLimit}`,
    );
  }
  if (settings.siteOrigin !== undefined && !/^https?:\/\/[^/?#\s]+$/.test(settings.siteOrigin)) {
    throw new InvalidSettingError(
      `siteOrigin must be a scheme and host without path or trailing slash (e.g. https://example.com), got "${settings.siteOrigin}"`,
    );
  }
  if (settings.target !== "aws" && settings.target !== "localstack") {
    throw new InvalidSettingError(`target must be "aws" or "localstack", got "${settings.target}"`);
  }
  return settings;
}

/**
 * Reads overrides from CDK context values (strings from `-c`, or JSON values from cdk.json).
 * @param get returns a context value, e.g. `(key) => app.node.tryGetContext(key)`.
 */
export function settingsFromContext(get: (key: string) => unknown): Partial<FurlKitSettings> {
  const countries = get("allowedCountries");
  const rateLimit = get("rateLimit");
  const siteOrigin = get("siteOrigin");
  const target = get("target");
  return withoutUndefined({
    allowedCountries:
      countries === undefined
        ? undefined
        : (Array.isArray(countries) ? countries.map(String) : String(countries).split(","))
            .map((code) => code.trim().toUpperCase())
            .filter((code) => code !== ""),
    rateLimit: rateLimit === undefined ? undefined : Number(rateLimit),
    siteOrigin: siteOrigin === undefined ? undefined : String(siteOrigin).replace(/\/+$/, ""),
    target: target === undefined ? undefined : (String(target) as DeployTarget),
  });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
