// Country lookups against the real offline table, and the lazy load.
import { describe, expect, it } from "vitest";
import { createGeoLookup, createStaticGeoLookup } from "./geoLookup.js";

describe("createGeoLookup", () => {
  const geo = createGeoLookup();

  it("finds the country of well-known public IPv4 addresses", () => {
    expect(geo.country("8.8.8.8")).toBe("US");
    // 1.1.1.0/24 is registered to APNIC research in Australia in this data set.
    expect(geo.country("1.1.1.1")).toBe("AU");
  });

  it("finds the country of public IPv6 addresses and IPv4-mapped ones", () => {
    expect(geo.country("2001:4860:4860::8888")).toBe("US");
    expect(geo.country("::ffff:8.8.8.8")).toBe("US");
  });

  it("gives loopback, private and invalid addresses no country", () => {
    for (const ip of [
      "127.0.0.1",
      "::1",
      "10.1.2.3",
      "192.168.0.10",
      "172.16.5.4",
      "fd00::1",
      "not-an-ip",
      "",
    ]) {
      expect(geo.country(ip)).toBeUndefined();
    }
  });

  it("reports the load time and size of each table once loaded", () => {
    const fresh = createGeoLookup();
    expect(fresh.loadStats()).toEqual({});
    fresh.country("8.8.8.8");
    const stats = fresh.loadStats();
    expect(stats.ipv4?.ranges).toBeGreaterThan(100_000);
    expect(stats.ipv4?.loadMs).toBeGreaterThanOrEqual(0);
    expect(stats.ipv6).toBeUndefined();
  });
});

describe("createStaticGeoLookup", () => {
  it("answers from its map only", () => {
    const geo = createStaticGeoLookup({ "203.0.113.9": "FR" });
    expect(geo.country("203.0.113.9")).toBe("FR");
    expect(geo.country("203.0.113.10")).toBeUndefined();
  });
});
