// The country tables parsed in a worker thread: lookups afterwards need no parsing on the caller's thread.
import { describe, expect, it } from "vitest";
import { createGeoLookup } from "./geoLookup.js";

describe("Method: GeoLookup.preload", () => {
  it("installs both tables from the worker, with the same answers as a table parsed in place", async () => {
    const preloaded = createGeoLookup();
    await preloaded.preload();
    const stats = preloaded.loadStats();
    expect(stats.ipv4?.ranges).toBeGreaterThan(100_000);
    expect(stats.ipv6?.ranges).toBeGreaterThan(10_000);
    const inPlace = createGeoLookup();
    for (const ip of ["8.8.8.8", "1.1.1.1", "81.2.69.142", "2001:4860:4860::8888"])
      expect(preloaded.country(ip)).toBe(inPlace.country(ip));
    // The stats are the worker's: the lookups above did not parse again.
    expect(preloaded.loadStats()).toEqual(stats);
  }, 30_000);
});
