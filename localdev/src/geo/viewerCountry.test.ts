// Precedence of the viewer country: override header, IP country, simulated default.
import { describe, expect, it } from "vitest";
import { createStaticGeoLookup } from "./geoLookup.js";
import { InvalidCountryOverrideError, resolveViewerCountry } from "./viewerCountry.js";

const geo = createStaticGeoLookup({ "81.2.69.142": "GB" });

describe("resolveViewerCountry", () => {
  it("prefers a valid override header over everything", () => {
    expect(resolveViewerCountry("fr", "81.2.69.142", geo, "US")).toBe("FR");
  });

  it("uses the IP's country when there is no override", () => {
    expect(resolveViewerCountry(undefined, "81.2.69.142", geo, "US")).toBe("GB");
  });

  it("falls back to the simulated default for IPs without a country", () => {
    expect(resolveViewerCountry(undefined, "127.0.0.1", geo, "CA")).toBe("CA");
  });

  it("rejects an override that is not a country code", () => {
    expect(() => resolveViewerCountry("USA", "127.0.0.1", geo, "US")).toThrow(InvalidCountryOverrideError);
    expect(() => resolveViewerCountry("", "127.0.0.1", geo, "US")).toThrow(/two-letter/);
  });
});
