// IP parsing, private ranges and CIDR sets.
import { describe, expect, it } from "vitest";
import { compileCidrs, isPrivateIp, normalizeIp, parseIp } from "./ipAddress.js";

describe("parseIp", () => {
  it("parses IPv4 and IPv6, and rejects junk", () => {
    expect(parseIp("1.2.3.4")).toEqual({ version: 4, value: 0x01020304 });
    expect(parseIp("::1")).toEqual({ version: 6, value: 1n });
    expect(parseIp("2001:db8::ff")).toEqual({ version: 6, value: (0x20010db8n << 96n) | 0xffn });
    expect(parseIp("1.2.3.256")).toBeUndefined();
    expect(parseIp("1.2.3")).toBeUndefined();
    expect(parseIp("<script>")).toBeUndefined();
  });

  it("unwraps IPv4-mapped IPv6 addresses", () => {
    expect(normalizeIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(parseIp("::ffff:1.2.3.4")).toEqual({ version: 4, value: 0x01020304 });
  });
});

describe("isPrivateIp", () => {
  it("tells private from public addresses", () => {
    expect(isPrivateIp("127.0.0.1")).toBe(true);
    expect(isPrivateIp("100.64.0.1")).toBe(true);
    expect(isPrivateIp("fe80::1")).toBe(true);
    expect(isPrivateIp("8.8.8.8")).toBe(false);
    expect(isPrivateIp("2001:4860::1")).toBe(false);
  });
});

describe("compileCidrs", () => {
  it("matches addresses inside IPv4 and IPv6 blocks and single addresses", () => {
    const set = compileCidrs(["192.0.2.0/24", "2001:db8::/32", "198.51.100.7/32", "203.0.113.5"]);
    expect(set.contains("192.0.2.200")).toBe(true);
    expect(set.contains("192.0.3.1")).toBe(false);
    expect(set.contains("2001:db8:1::5")).toBe(true);
    expect(set.contains("2001:db9::5")).toBe(false);
    expect(set.contains("198.51.100.7")).toBe(true);
    expect(set.contains("203.0.113.5")).toBe(true);
    expect(set.contains("garbage")).toBe(false);
  });

  it("rejects invalid entries with a message naming them", () => {
    expect(() => compileCidrs(["10.0.0.0/33"])).toThrow(/10\.0\.0\.0\/33/);
    expect(() => compileCidrs(["nope/8"])).toThrow(/nope/);
  });
});
