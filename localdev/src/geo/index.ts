// Public API of the geo module: IP → country, and the kit's simulated viewer country.

export type { GeoLoadStats, GeoLookup, GeoLookupWithStats } from "./geoLookup.js";
export { createGeoLookup, createStaticGeoLookup } from "./geoLookup.js";
export type { CidrSet, ParsedIp } from "./ipAddress.js";
export { compileCidrs, isPrivateIp, normalizeIp, parseIp } from "./ipAddress.js";
export {
  InvalidCountryOverrideError,
  isCountryCode,
  resolveViewerCountry,
  VIEWER_COUNTRY_OVERRIDE_HEADER,
} from "./viewerCountry.js";
