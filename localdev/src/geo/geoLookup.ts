// Viewer IP → ISO country code from the offline CC0 table in @ip-location-db/geo-whois-asn-country.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type Ipv4Table, type Ipv6Table, lookupIpv4, lookupIpv6 } from "./geoTable.js";
import { isPrivateParsedIp, parseIp } from "./ipAddress.js";
import { loadIpv4Table, loadIpv6Table } from "./tableFiles.js";

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
  /**
   * Parses both tables in a worker thread (about a second of CPU on a busy machine), so no request waits
   * for that on the main thread. A lookup before it completes parses its table there, as without it.
   */
  preload(): Promise<void>;
}

// Like the Function URL thread: tsx's require hook runs the TypeScript module whatever loader the parent has.
const require = createRequire(import.meta.url);
const TABLE_THREAD = `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register();
require(${JSON.stringify(fileURLToPath(new URL("./tableThread.ts", import.meta.url)))});`;

type Loaded<T> = { table: T; loadMs: number };

/**
 * Creates a lookup that reads each CSV on first use (IPv4 and IPv6 separately), so start-up stays fast
 * and a kit that only sees IPv4 viewers never parses the larger IPv6 file.
 */
export function createGeoLookup(now: () => number = () => performance.now()): GeoLookupWithStats {
  let ipv4: Ipv4Table | undefined;
  let ipv6: Ipv6Table | undefined;
  const stats: GeoLoadStats = {};
  let preloading: Promise<void> | undefined;
  const loadIpv4 = (): Ipv4Table => {
    const started = now();
    const table = loadIpv4Table();
    stats.ipv4 = { ranges: table.starts.length, loadMs: Math.round(now() - started) };
    return table;
  };
  const loadIpv6 = (): Ipv6Table => {
    const started = now();
    const table = loadIpv6Table();
    stats.ipv6 = { ranges: table.startHi.length, loadMs: Math.round(now() - started) };
    return table;
  };
  const install = (loaded: { ipv4: Loaded<Ipv4Table>; ipv6: Loaded<Ipv6Table> }) => {
    if (!ipv4) {
      ipv4 = loaded.ipv4.table;
      stats.ipv4 = { ranges: ipv4.starts.length, loadMs: loaded.ipv4.loadMs };
    }
    if (!ipv6) {
      ipv6 = loaded.ipv6.table;
      stats.ipv6 = { ranges: ipv6.startHi.length, loadMs: loaded.ipv6.loadMs };
    }
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
    preload() {
      preloading ??= new Promise<void>((resolve) => {
        const worker = new Worker(TABLE_THREAD, { eval: true, execArgv: [] });
        // The kit may stop before the tables arrive; the thread must not keep the process alive.
        worker.unref();
        worker.once("message", (loaded) => {
          install(loaded);
          resolve();
        });
        // Without the thread, lookups simply parse on first use.
        worker.once("error", () => resolve());
        worker.once("exit", () => resolve());
      });
      return preloading;
    },
  };
}

/** A lookup over a fixed IP → country map; for tests that need deterministic countries. */
export function createStaticGeoLookup(countries: Record<string, string>): GeoLookup {
  return { country: (ip) => countries[ip] };
}
