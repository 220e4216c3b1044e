// The console's history stays within its limits whatever arrives.
import { describe, expect, it } from "vitest";
import type { EdgeRequestRecord } from "../edge/index.js";
import { ConsoleHistory, Ring } from "./history.js";

const request = (n: number): EdgeRequestRecord => ({
  requestId: `cf-${n}`,
  time: new Date(n).toISOString(),
  method: "POST",
  path: "/",
  viewerIp: "198.18.0.1",
  status: 200,
  durationMs: 1,
});

describe("Class: ConsoleHistory", () => {
  it("keeps the last N requests, invocations and log lines, oldest first", () => {
    const history = new ConsoleHistory({ requests: 3, logLines: 4 });
    for (let n = 1; n <= 10; n++) {
      history.addRequest(request(n));
      history.addActivity({
        functionName: "fn",
        invocations: [
          { requestId: `r-${n}`, startedAt: "", durationMs: 1, status: "success", cold: n === 1 },
        ],
        logs: [1, 2].map((i) => ({
          time: "",
          functionName: "fn",
          requestId: `r-${n}`,
          level: "INFO",
          text: `${n}.${i}`,
        })),
        instances: { warm: 1, busy: 0 },
      });
    }
    const s = history.snapshot();
    expect(s.requests.map((r) => r.requestId)).toEqual(["cf-8", "cf-9", "cf-10"]);
    expect(s.invocations.map((i) => i.requestId)).toEqual(["r-8", "r-9", "r-10"]);
    expect(s.logs.map((l) => l.text)).toEqual(["9.1", "9.2", "10.1", "10.2"]);
    expect(s.instances).toEqual({ fn: { warm: 1, busy: 0 } });
  });

  it("refuses a history without room", () => {
    expect(() => new ConsoleHistory({ requests: 0, logLines: 5 })).toThrow(/at least one/);
  });

  it("Ring: reports the item it displaced", () => {
    const ring = new Ring<number>(2);
    expect([ring.push(1), ring.push(2), ring.push(3)]).toEqual([undefined, undefined, 1]);
    expect(ring.toArray()).toEqual([2, 3]);
  });
});
