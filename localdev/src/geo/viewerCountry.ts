// The viewer country the kit uses: override header, then the IP's country, then the simulated default.
import type { GeoLookup } from "./geoLookup.js";

/** Kit-only request header that sets the viewer country for one request; stripped before the origin. */
export const VIEWER_COUNTRY_OVERRIDE_HEADER = "x-furl-viewer-country";

const COUNTRY_CODE = /^[A-Z]{2}$/;

export class InvalidCountryOverrideError extends Error {
  constructor(value: string) {
    super(
      `${VIEWER_COUNTRY_OVERRIDE_HEADER} must be a two-letter ISO 3166 country code such as "US"; got ${JSON.stringify(value.slice(0, 20))}`,
    );
    this.name = "InvalidCountryOverrideError";
  }
}

export function isCountryCode(value: string): boolean {
  return COUNTRY_CODE.test(value);
}

/**
 * Resolves the viewer country. Precedence: a valid override header, the country of the viewer IP,
 * then `simulatedDefault` (private and loopback addresses have no country, so local requests get it).
 * @throws InvalidCountryOverrideError when the override header is present but not a country code.
 */
export function resolveViewerCountry(
  override: string | string[] | undefined,
  viewerIp: string,
  geo: GeoLookup,
  simulatedDefault: string,
): string {
  if (override !== undefined) {
    const value = (Array.isArray(override) ? override[0] : override)?.trim().toUpperCase() ?? "";
    if (!isCountryCode(value)) throw new InvalidCountryOverrideError(value);
    return value;
  }
  return geo.country(viewerIp) ?? simulatedDefault;
}
