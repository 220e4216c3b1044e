// IP-range → country tables parsed from the ip-location-db "-num" CSVs into typed arrays, searched by bisection.

/** Sorted, parallel arrays: range i covers [starts[i], ends[i]] and belongs to codes[countries[i]]. */
export interface Ipv4Table {
  starts: Uint32Array;
  ends: Uint32Array;
  countries: Uint16Array;
  codes: string[];
}

/** Like {@link Ipv4Table}, with each 128-bit bound split in high and low 64-bit halves. */
export interface Ipv6Table {
  startHi: BigUint64Array;
  startLo: BigUint64Array;
  endHi: BigUint64Array;
  endLo: BigUint64Array;
  countries: Uint16Array;
  codes: string[];
}

const COMMA = 44;
const NEWLINE = 10;
const ZERO = 48;
const MASK64 = (1n << 64n) - 1n;

function countLines(data: Buffer): number {
  let lines = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === NEWLINE) lines++;
  return data.length > 0 && data[data.length - 1] !== NEWLINE ? lines + 1 : lines;
}

function countryIndexer(): { indexOf(code: string): number; codes: string[] } {
  const codes: string[] = [];
  const byCode = new Map<string, number>();
  return {
    codes,
    indexOf(code) {
      let index = byCode.get(code);
      if (index === undefined) {
        index = codes.length;
        codes.push(code);
        byCode.set(code, index);
      }
      return index;
    },
  };
}

/** Parses `start,end,CC` lines with decimal IPv4 numbers; a byte loop, since the file has ~330k lines. */
export function parseIpv4Csv(data: Buffer): Ipv4Table {
  const capacity = countLines(data);
  const starts = new Uint32Array(capacity);
  const ends = new Uint32Array(capacity);
  const countries = new Uint16Array(capacity);
  const indexer = countryIndexer();
  let row = 0;
  let i = 0;
  while (i < data.length) {
    let start = 0;
    while (i < data.length && data[i] !== COMMA) start = start * 10 + (data[i++]! - ZERO);
    i++;
    let end = 0;
    while (i < data.length && data[i] !== COMMA) end = end * 10 + (data[i++]! - ZERO);
    i++;
    const codeStart = i;
    while (i < data.length && data[i] !== NEWLINE && data[i] !== 13) i++;
    const code = data.toString("latin1", codeStart, i);
    while (i < data.length && (data[i] === NEWLINE || data[i] === 13)) i++;
    if (!code) continue;
    starts[row] = start;
    ends[row] = end;
    countries[row] = indexer.indexOf(code);
    row++;
  }
  return {
    starts: starts.subarray(0, row),
    ends: ends.subarray(0, row),
    countries: countries.subarray(0, row),
    codes: indexer.codes,
  };
}

/** Parses `start,end,CC` lines with decimal 128-bit numbers. */
export function parseIpv6Csv(text: string): Ipv6Table {
  const lines = text.split("\n");
  const startHi = new BigUint64Array(lines.length);
  const startLo = new BigUint64Array(lines.length);
  const endHi = new BigUint64Array(lines.length);
  const endLo = new BigUint64Array(lines.length);
  const countries = new Uint16Array(lines.length);
  const indexer = countryIndexer();
  let row = 0;
  for (const line of lines) {
    const [startText, endText, code] = line.trim().split(",");
    if (!startText || !endText || !code) continue;
    const start = BigInt(startText);
    const end = BigInt(endText);
    startHi[row] = start >> 64n;
    startLo[row] = start & MASK64;
    endHi[row] = end >> 64n;
    endLo[row] = end & MASK64;
    countries[row] = indexer.indexOf(code);
    row++;
  }
  return {
    startHi: startHi.subarray(0, row),
    startLo: startLo.subarray(0, row),
    endHi: endHi.subarray(0, row),
    endLo: endLo.subarray(0, row),
    countries: countries.subarray(0, row),
    codes: indexer.codes,
  };
}

/** Index of the last range whose start is <= value, or -1. */
function lastStartAtOrBelow(length: number, startIsAbove: (index: number) => boolean): number {
  let low = 0;
  let high = length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (startIsAbove(mid)) high = mid - 1;
    else {
      found = mid;
      low = mid + 1;
    }
  }
  return found;
}

export function lookupIpv4(table: Ipv4Table, value: number): string | undefined {
  const index = lastStartAtOrBelow(table.starts.length, (i) => table.starts[i]! > value);
  if (index < 0 || value > table.ends[index]!) return undefined;
  return table.codes[table.countries[index]!];
}

export function lookupIpv6(table: Ipv6Table, value: bigint): string | undefined {
  const hi = value >> 64n;
  const lo = value & MASK64;
  const index = lastStartAtOrBelow(table.startHi.length, (i) => {
    const startHi = table.startHi[i]!;
    return startHi > hi || (startHi === hi && table.startLo[i]! > lo);
  });
  if (index < 0) return undefined;
  const endHi = table.endHi[index]!;
  if (hi > endHi || (hi === endHi && lo > table.endLo[index]!)) return undefined;
  return table.codes[table.countries[index]!];
}
