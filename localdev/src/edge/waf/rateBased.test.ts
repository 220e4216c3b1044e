// Rate-based rules: limit within the window, release after it, aggregation keys, scope-down, memory cap.
import { describe, expect, it } from "vitest";
import { wafRequest } from "../../../../test/support/waf/requests.js";
import { createStaticGeoLookup } from "../../geo/index.js";
import { ManualClock } from "../../shared/clock.js";
import { createWafEngine } from "./engine.js";

const geo = createStaticGeoLookup({});

function rateEngine(statement: Record<string, unknown>, clock = new ManualClock(), maxRateKeys?: number) {
  return createWafEngine({
    webAcl: {
      DefaultAction: { Allow: {} },
      Rules: [
        {
          Name: "Rate",
          Priority: 0,
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 10, EvaluationWindowSec: 60, ...statement } },
        },
      ],
    },
    geo,
    clock,
    maxRateKeys,
  });
}

const actions = (waf: ReturnType<typeof rateEngine>, n: number, overrides = {}) =>
  Array.from({ length: n }, () => waf.evaluate(wafRequest(overrides)).action);

describe("RateBasedStatement", () => {
  it("blocks requests above the limit within the window and releases after the window", () => {
    const clock = new ManualClock();
    const waf = rateEngine({ AggregateKeyType: "IP" }, clock);
    expect(actions(waf, 10)).toEqual(Array(10).fill("ALLOW"));
    expect(actions(waf, 2)).toEqual(["BLOCK", "BLOCK"]);
    clock.advanceBy(30_000);
    expect(waf.evaluate(wafRequest()).action).toBe("BLOCK");
    clock.advanceBy(61_000);
    expect(waf.evaluate(wafRequest()).action).toBe("ALLOW");
  });

  it("keeps one counter per client IP", () => {
    const waf = rateEngine({ AggregateKeyType: "IP" });
    actions(waf, 11, { clientIp: "198.51.100.1" });
    expect(waf.evaluate(wafRequest({ clientIp: "198.51.100.1" })).action).toBe("BLOCK");
    expect(waf.evaluate(wafRequest({ clientIp: "198.51.100.2" })).action).toBe("ALLOW");
  });

  it("FORWARDED_IP aggregates on the header's first IP", () => {
    const waf = rateEngine({
      AggregateKeyType: "FORWARDED_IP",
      ForwardedIPConfig: { HeaderName: "X-Forwarded-For", FallbackBehavior: "NO_MATCH" },
    });
    const fromA = { headers: { "user-agent": "x", "x-forwarded-for": "192.0.2.1, 203.0.113.10" } };
    expect(actions(waf, 11, fromA).at(-1)).toBe("BLOCK");
    expect(
      waf.evaluate(wafRequest({ headers: { "user-agent": "x", "x-forwarded-for": "192.0.2.2" } })).action,
    ).toBe("ALLOW");
    expect(waf.evaluate(wafRequest({ headers: { "user-agent": "x" } })).action).toBe("ALLOW");
  });

  it("CONSTANT counts every request together", () => {
    const waf = rateEngine({ AggregateKeyType: "CONSTANT" });
    for (let i = 0; i < 10; i++) waf.evaluate(wafRequest({ clientIp: `198.51.100.${i}` }));
    expect(waf.evaluate(wafRequest({ clientIp: "198.51.100.200" })).action).toBe("BLOCK");
  });

  it("CUSTOM_KEYS combine parts and skip requests missing one", () => {
    const waf = rateEngine({
      AggregateKeyType: "CUSTOM_KEYS",
      CustomKeys: [
        { IP: {} },
        { Header: { Name: "x-tenant", TextTransformations: [{ Priority: 0, Type: "LOWERCASE" }] } },
      ],
    });
    expect(actions(waf, 11, { headers: { "x-tenant": "A" } }).at(-1)).toBe("BLOCK");
    expect(waf.evaluate(wafRequest({ headers: { "x-tenant": "b" } })).action).toBe("ALLOW");
    expect(actions(waf, 12, { headers: {} }).at(-1)).toBe("ALLOW");
  });

  it("only counts requests that match the scope-down statement", () => {
    const waf = rateEngine({
      AggregateKeyType: "IP",
      ScopeDownStatement: {
        ByteMatchStatement: {
          FieldToMatch: { UriPath: {} },
          PositionalConstraint: "STARTS_WITH",
          SearchString: "/api",
          TextTransformations: [],
        },
      },
    });
    actions(waf, 20, { uri: "/static" });
    expect(waf.evaluate(wafRequest({ uri: "/api" })).action).toBe("ALLOW");
    actions(waf, 10, { uri: "/api" });
    expect(waf.evaluate(wafRequest({ uri: "/api" })).action).toBe("BLOCK");
    expect(waf.evaluate(wafRequest({ uri: "/static" })).action).toBe("ALLOW");
  });

  it("keeps its counters at the cap whatever the number of distinct clients, and drops expired ones", () => {
    const clock = new ManualClock();
    const waf = rateEngine({ AggregateKeyType: "IP" }, clock, 50_000);
    for (let i = 0; i < 200_000; i++) {
      waf.evaluate(wafRequest({ clientIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
    }
    expect(waf.rateKeyCount()).toBe(50_000);
    clock.advanceBy(120_000);
    waf.evaluate(wafRequest({ clientIp: "192.0.2.1" }));
    expect(waf.rateKeyCount()).toBe(1);
  });

  it("rejects settings AWS rejects", () => {
    expect(() => rateEngine({ EvaluationWindowSec: 90 })).toThrow(/EvaluationWindowSec/);
    expect(() => rateEngine({ Limit: 5 })).toThrow(/Limit/);
  });
});
