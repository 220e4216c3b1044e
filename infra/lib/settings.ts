// The stack's tunable settings: defaults, validation, and `cdk -c key=value` context overrides.

export type DeployTarget = "aws" | "localstack";

/**
 * Identity values for the LocalStack target, which has no Cognito: they come from the kit's Cognito
 * emulator (`localdev/src/localstack/identity.ts`), as reachable from LocalStack's Lambda containers.
 */
export interface LocalIdentity {
  /** Hosted UI base URL, e.g. http://furl-kit:3001 */
  cognitoDomainUrl: string;
  clientId: string;
  /** AWS-shaped pool id, e.g. us-east-1_AbC123xyZ */
  userPoolId: string;
  jwksUri: string;
  /** The site URL with trailing slash (the app client's callback URL). */
  redirectUri: string;
}

export const LOCAL_IDENTITY_KEYS = [
  "cognitoDomainUrl",
  "clientId",
  "userPoolId",
  "jwksUri",
  "redirectUri",
] as const satisfies readonly (keyof LocalIdentity)[];

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
  /** Required with target "localstack" (`-c localIdentity='{...}'` or one `-c` per key). */
  localIdentity?: LocalIdentity;
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
  if (settings.target === "localstack") validateLocalIdentity(settings.localIdentity);
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
  const localIdentity = localIdentityFromContext(get);
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
    localIdentity,
  });
}

/** `localIdentity` as a JSON string or object, else the separate keys; undefined when none is given. */
function localIdentityFromContext(get: (key: string) => unknown): LocalIdentity | undefined {
  const whole = get("localIdentity");
  if (whole !== undefined) {
    if (typeof whole === "object" && whole !== null) return whole as LocalIdentity;
    try {
      return JSON.parse(String(whole)) as LocalIdentity;
    } catch {
      throw new InvalidSettingError(
        `localIdentity must be a JSON object with ${LOCAL_IDENTITY_KEYS.join(", ")}`,
      );
    }
  }
  const parts = Object.fromEntries(
    LOCAL_IDENTITY_KEYS.filter((key) => get(key) !== undefined).map((key) => [key, String(get(key))]),
  );
  return Object.keys(parts).length ? (parts as unknown as LocalIdentity) : undefined;
}

/** The values the handler reads on LocalStack must be real: a missing one would deploy as "unknown". */
function validateLocalIdentity(identity: LocalIdentity | undefined): void {
  if (!identity) {
    throw new InvalidSettingError(
      "target localstack needs localIdentity (cognitoDomainUrl, clientId, userPoolId, jwksUri, redirectUri): run `npm run localstack:deploy`, which passes them",
    );
  }
  for (const key of LOCAL_IDENTITY_KEYS) {
    const value = identity[key];
    if (typeof value !== "string" || value.trim() === "" || value === "unknown") {
      throw new InvalidSettingError(`localIdentity.${key} is missing`);
    }
  }
  for (const key of ["cognitoDomainUrl", "jwksUri", "redirectUri"] as const) {
    if (!/^https?:\/\/[^/?#\s]+/.test(identity[key])) {
      throw new InvalidSettingError(`localIdentity.${key} must be an http(s) URL, got "${identity[key]}"`);
    }
  }
  if (!identity.redirectUri.endsWith("/")) {
    throw new InvalidSettingError(
      `localIdentity.redirectUri must end with "/", got "${identity.redirectUri}"`,
    );
  }
  if (!/^[a-z]{2}-(gov-)?[a-z]+-\d_[a-zA-Z0-9]+$/.test(identity.userPoolId)) {
    throw new InvalidSettingError(
      `localIdentity.userPoolId must look like us-east-1_AbC123xyZ, got "${identity.userPoolId}"`,
    );
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
