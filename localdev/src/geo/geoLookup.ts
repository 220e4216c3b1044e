// Viewer IP → ISO country code from the offline CC0 table in @ip-location-db/geo-whois-asn-country.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  type Ipv4Table,
  type Ipv6Table,
  lookupIpv4,
  lookupIpv6,
  parseIpv4Csv,
  parseIpv6Csv,
} from "./geoTable.js";
import { isPrivateParsedIp, parseIp } from "./ipAddress.js";

/** Country (ISO 3166 alpha-2) of a public IP; `undefined` for private, loopback, unknown or invalid input. */
export interface GeoLookup {
  country(ip: string): string | undefined;
}

/** How long each table took to load, once it has been loaded. */
export interface GeoLoadStats {
  ipv4?: { ranges: number; loadMs: number };
  ipv6?: { ranges: number; loadMs: number };
}

export interface GeoLookupWithStats extends GeoLookup {
  loadStats(): GeoLoadStats;
}

const PACKAGE = "@ip-location-db/geo-whois-asn-country";

function dataFile(name: string): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`${PACKAGE}/package.json`)), name);
}

/**
 * Creates a lookup that reads each CSV on first use (IPv4 and IPv6 separately), so start-up stays fast
 * and a kit that only sees IPv4 viewers never parses the larger IPv6 file.
 */
export function createGeoLookup(now: () => number = () => performance.now()): GeoLookupWithStats {
  let ipv4: Ipv4Table | undefined;
  let ipv6: Ipv6Table | undefined;
  const stats: GeoLoadStats = {};
  const loadIpv4 = (): Ipv4Table => {
    const started = now();
    const table = parseIpv4Csv(readFileSync(dataFile("geo-whois-asn-country-ipv4-num.csv")));
    stats.ipv4 = { ranges: table.starts.length, loadMs: Math.round(now() - started) };
    return table;
  };
  const loadIpv6 = (): Ipv6Table => {
    const started = now();
    const table = parseIpv6Csv(readFileSync(dataFile("geo-whois-asn-country-ipv6-num.csv"), "utf8"));
    stats.ipv6 = { ranges: table.startHi.length, loadMs: Math.round(now() - started) };
    return table;
  };
  return {
    country(ip: string): string | undefined {
      const parsed = parseIp(ip);
      if (!parsed || isPrivateParsedIp(parsed)) return undefined;
      if (parsed.version === 4) {
        ipv4 ??= loadIpv4();
        return lookupIpv4(ipv4, parsed.value);
      }
      ipv6 ??= loadIpv6();
      return lookupIpv6(ipv6, parsed.value);
    },
    loadStats: () => ({ ...stats }),
  };
}

/** A lookup over a fixed IP → country map; for tests that need deterministic countries. */
export function createStaticGeoLookup(countries: Record<string, string>): GeoLookup {
  return { country: (ip) => countries[ip] };
}
