// Parse IPv4/IPv6 text into numbers, match CIDR blocks, and tell private addresses from public ones.
import { isIPv4, isIPv6 } from "node:net";

/** An address as a number: IPv4 fits an unsigned 32-bit int, IPv6 needs a bigint. */
export type ParsedIp = { version: 4; value: number } | { version: 6; value: bigint };

/** Strips an IPv4-mapped IPv6 prefix (`::ffff:1.2.3.4`, what Node reports on dual-stack sockets). */
export function normalizeIp(ip: string): string {
  return ip.startsWith("::ffff:") && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

export function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (part.length === 0 || part.length > 3) return undefined;
    const octet = Number(part);
    if (!Number.isInteger(octet) || octet < 0 || octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function ipv6ToBigInt(ip: string): bigint | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip.split("%")[0] ?? ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = ipv4ToNumber(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = rest === undefined ? [] : rest ? rest.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(rest === undefined ? 0 : missing).fill("0"), ...tailGroups];
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  return value;
}

export function parseIp(ip: string): ParsedIp | undefined {
  const normalized = normalizeIp(ip.trim());
  if (isIPv4(normalized)) {
    const value = ipv4ToNumber(normalized);
    return value === undefined ? undefined : { version: 4, value };
  }
  const value = ipv6ToBigInt(normalized);
  return value === undefined ? undefined : { version: 6, value };
}

/** True for loopback, private (RFC 1918 / ULA), link-local, CGNAT and unspecified addresses. */
export function isPrivateIp(ip: string): boolean {
  const parsed = parseIp(ip);
  return parsed ? isPrivateParsedIp(parsed) : false;
}

export function isPrivateParsedIp(parsed: ParsedIp): boolean {
  if (parsed.version === 4) {
    const v = parsed.value;
    const a = v >>> 24;
    const b = (v >>> 16) & 0xff;
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168)
    );
  }
  const v = parsed.value;
  const top16 = Number(v >> 112n);
  return v === 0n || v === 1n || (top16 & 0xfe00) === 0xfc00 || (top16 & 0xffc0) === 0xfe80;
}

/** A compiled CIDR list: `contains(ip)` answers whether any block holds the address. */
export interface CidrSet {
  contains(ip: string): boolean;
}

/** Compiles `["192.0.2.0/24", "2001:db8::/32", "198.51.100.7"]`; throws on an invalid entry. */
export function compileCidrs(cidrs: readonly string[]): CidrSet {
  const v4: Array<[number, number]> = [];
  const v6: Array<[bigint, bigint]> = [];
  for (const cidr of cidrs) {
    const [address = "", prefixText] = cidr.trim().split("/");
    const parsed = parseIp(address);
    if (!parsed) throw new Error(`Invalid IP address in IP set: ${cidr}`);
    const bits = parsed.version === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? bits : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits)
      throw new Error(`Invalid CIDR prefix: ${cidr}`);
    if (parsed.version === 4) {
      const size = 2 ** (32 - prefix);
      const start = Math.floor(parsed.value / size) * size;
      v4.push([start, start + size - 1]);
    } else {
      const hostBits = BigInt(128 - prefix);
      const start = (parsed.value >> hostBits) << hostBits;
      v6.push([start, start + (1n << hostBits) - 1n]);
    }
  }
  return {
    contains(ip: string): boolean {
      const parsed = parseIp(ip);
      if (!parsed) return false;
      if (parsed.version === 4) return v4.some(([s, e]) => parsed.value >= s && parsed.value <= e);
      return v6.some(([s, e]) => parsed.value >= s && parsed.value <= e);
    },
  };
}
