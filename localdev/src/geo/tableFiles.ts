// Reads and parses the offline country tables of @ip-location-db/geo-whois-asn-country.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Ipv4Table, type Ipv6Table, parseIpv4Csv, parseIpv6Csv } from "./geoTable.js";

const PACKAGE = "@ip-location-db/geo-whois-asn-country";

function dataFile(name: string): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`${PACKAGE}/package.json`)), name);
}

export function loadIpv4Table(): Ipv4Table {
  return parseIpv4Csv(readFileSync(dataFile("geo-whois-asn-country-ipv4-num.csv")));
}

export function loadIpv6Table(): Ipv6Table {
  return parseIpv6Csv(readFileSync(dataFile("geo-whois-asn-country-ipv6-num.csv"), "utf8"));
}
