// The kit console's data and live events over HTTP, from the kit started as `npm start` starts it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute, hostedUi, newUser, signUp, uniqueViewerIp } from "../flows/steps.js";
import { startTestKit, type TestKit } from "./kitTarget.js";

interface Row {
  requestId: string;
  status: number;
  waf?: { action: string; terminatingRule?: string };
  originRequestId?: string;
}

describe("the kit console over HTTP", () => {
  let t: TestKit;
  beforeAll(async () => {
    t = await startTestKit({ history: { requests: 3, logLines: 6 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const state = async () => {
    const response = await fetch(`${t.kit.endpoints.control}/console/api/state`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      history: {
        requests: Row[];
        invocations: { requestId: string; status: string; cold: boolean }[];
        logs: { requestId?: string; level: string; text: string }[];
      };
      waf: { rules: { name: string; asWritten: { Statement: Record<string, unknown> } }[] };
      functions: { name: string; runtime: string; memoryMb: number; timeoutSeconds: number }[];
      deployment: { resources: { type: string; treatment: string }[]; sdkSettings: { name: string }[] };
    };
  };

  /** Reads the event stream until `done` accepts a `batch` event (the live update after a request). */
  async function nextBatch(done: (batch: { requests: Row[] }) => boolean, act: () => Promise<void>) {
    const controller = new AbortController();
    const response = await fetch(`${t.kit.endpoints.control}/console/api/events`, {
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let acted = false;
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error("the event stream ended");
        text += decoder.decode(value, { stream: true });
        if (!acted && text.includes("event: snapshot")) {
          acted = true;
          await act();
        }
        for (const frame of text.split("\n\n")) {
          const data = /^event: batch\ndata: (.*)$/m.exec(frame)?.[1];
          if (data && done(JSON.parse(data))) return JSON.parse(data) as { requests: Row[] };
        }
      }
    } finally {
      controller.abort();
    }
  }

  it("streams a blocked request as it happens, with the rule that blocked it", async () => {
    let cfId = "";
    const batch = await nextBatch(
      (b) => b.requests.some((r) => r.requestId === cfId),
      async () => {
        const blocked = await execute(t.target, undefined, { country: "DE", viewerIp: uniqueViewerIp() });
        cfId = blocked.headers.get("x-amz-cf-id")!;
      },
    );
    const row = batch.requests.find((r) => r.requestId === cfId)!;
    expect(row).toMatchObject({
      status: 403,
      waf: { action: "BLOCK", terminatingRule: "AllowedCountriesOnly" },
    });
    expect(row.originRequestId).toBeUndefined();
    const rule = (await state()).waf.rules.find((r) => r.name === row.waf!.terminatingRule)!;
    expect(Object.keys(rule.asWritten.Statement)).toEqual(["NotStatement"]);
  });

  it("joins an authenticated request to its invocation and log lines, and keeps only the last N", async () => {
    const user = newUser("consolehttp");
    const code = await signUp(t.target, hostedUi(t.target), user);
    const answer = await execute(t.target, code, { viewerIp: uniqueViewerIp() });
    expect(answer.status).toBe(200);
    const lambdaId = answer.headers.get("x-amzn-requestid")!;
    let lastId = "";
    for (let i = 0; i < 4; i++) {
      const guest = await execute(t.target, undefined, { viewerIp: uniqueViewerIp() });
      lastId = guest.headers.get("x-amzn-requestid")!;
    }

    // The last activity batch may still be crossing from the Function URL's thread, and the edge reports a
    // request once its socket is done: wait for both.
    await new Promise<void>((done) => {
      const reported = () => {
        const h = t.kit.history.snapshot();
        return (
          h.logs.some((l) => l.requestId === lastId && l.level === "REPORT") &&
          h.requests.some((r) => r.originRequestId === lastId)
        );
      };
      if (reported()) return done();
      const stop = t.kit.history.subscribe(() => {
        if (!reported()) return;
        stop();
        done();
      });
    });
    const s = await state();
    expect(s.history.requests).toHaveLength(3);
    expect(s.history.invocations).toHaveLength(3);
    expect(s.history.logs).toHaveLength(6);
    expect(s.history.requests.every((r) => r.status === 401)).toBe(true);
    // The kit keeps the newest: the authenticated request has gone, as the limits say.
    expect(s.history.invocations.map((i) => i.requestId)).not.toContain(lambdaId);
    expect(s.history.requests.at(-1)!.originRequestId).toBe(lastId);
    const invocation = s.history.invocations.find((i) => i.requestId === lastId);
    expect(invocation).toMatchObject({ status: "success" });
    const lines = s.history.logs.filter((l) => l.requestId === lastId).map((l) => l.level);
    expect(lines).toEqual(["INFO", "REPORT"]);
  });

  it("describes the functions and every resource of the stack", async () => {
    const s = await state();
    expect(s.functions).toEqual([
      expect.objectContaining({
        name: t.kit.deployment.functions[0]!.name,
        runtime: expect.stringMatching(/^nodejs/),
      }),
    ]);
    const types = new Map(s.deployment.resources.map((r) => [r.type, r.treatment]));
    expect(types.get("AWS::WAFv2::WebACL")).toBe("emulated");
    expect(types.get("AWS::IAM::Role")).toBe("not emulated");
    expect(s.deployment.sdkSettings.map((e) => e.name)).toContain("AWS_ENDPOINT_URL_SSM");
  });
});
