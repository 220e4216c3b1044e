// Memory bench of the WAF rate counters under a flood of distinct IPs: `npx tsx bench/wafMemory.ts [count]`.
import { pathToFileURL } from "node:url";
import { createWafEngine } from "../localdev/src/edge/waf/engine.js";
import { createStaticGeoLookup } from "../localdev/src/geo/index.js";
import { ManualClock } from "../localdev/src/shared/clock.js";

export interface RateMemoryReport {
  distinctIps: number;
  maxRateKeys: number;
  /** Heap growth after the flood (after a GC when `--expose-gc` is on), in MB. */
  heapGrowthMB: number;
  rateKeysAfterFlood: number;
  rateKeysAfterWindow: number;
  /** True when every counter of the flood was dropped once its window had passed. */
  countersExpire: boolean;
  microsPerRequest: number;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Drives the WAF engine directly (no HTTP) with a ManualClock, one request per distinct IPv4 address. */
export function benchRateMemory(distinctIps = 1_000_000, maxRateKeys = 100_000): RateMemoryReport {
  const clock = new ManualClock();
  const waf = createWafEngine({
    webAcl: {
      DefaultAction: { Allow: {} },
      Rules: [
        {
          Name: "PerIpRate",
          Priority: 0,
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 100, EvaluationWindowSec: 300, AggregateKeyType: "IP" } },
        },
      ],
    },
    geo: createStaticGeoLookup({}),
    clock,
    maxRateKeys,
    decisionLogSize: 1000,
  });
  const request = {
    clientIp: "",
    country: "US",
    method: "POST",
    uri: "/",
    queryString: "",
    headers: { "user-agent": "bench" },
    body: Buffer.alloc(0),
    host: "d111111abcdef8.cloudfront.net",
  };
  gc();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  for (let i = 0; i < distinctIps; i++) {
    request.clientIp = `${11 + ((i >>> 24) & 0x7f)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
    waf.evaluate(request);
    if ((i & 0xffff) === 0) clock.advanceBy(1); // time moves a little during the flood
  }
  const elapsed = performance.now() - started;
  const rateKeysAfterFlood = waf.rateKeyCount();
  gc();
  const heapGrowthMB = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  clock.advanceBy(301_000);
  request.clientIp = "192.0.2.1";
  waf.evaluate(request);
  const rateKeysAfterWindow = waf.rateKeyCount();
  return {
    distinctIps,
    maxRateKeys,
    heapGrowthMB: Math.round(heapGrowthMB * 10) / 10,
    rateKeysAfterFlood,
    rateKeysAfterWindow,
    countersExpire: rateKeysAfterWindow === 1,
    microsPerRequest: Math.round((elapsed * 1000 * 1000) / distinctIps) / 1000,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = Number(process.argv[2] ?? 1_000_000);
  console.log(JSON.stringify(benchRateMemory(count), null, 2));
}
