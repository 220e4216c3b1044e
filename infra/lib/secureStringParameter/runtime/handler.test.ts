// runEvent: CloudFormation always gets an answer, and logs never carry the secret or the signed URL.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Outcome } from "./cfnResponse.js";
import { fakeDeps } from "./fakeDeps.js";
import { runEvent } from "./handler.js";
import type { SecureStringDeps } from "./onEvent.js";
import { createEvent } from "./testEvents.js";

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function recordingSend() {
  const sent: Outcome[] = [];
  return { sent, send: async (_event: unknown, outcome: Outcome) => void sent.push(outcome) };
}

describe("runEvent", () => {
  it("answers SUCCESS and logs without the value or the pre-signed URL", async () => {
    const logs: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
    const { sent, send } = recordingSend();
    await runEvent(createEvent(), fakeDeps({ clientSecret: "s3cr3t-value" }), 10_000, send);
    expect(sent).toEqual([{ status: "SUCCESS", physicalResourceId: "/furl-kit/FurlKit/client-secret" }]);
    expect(logs.join("\n")).not.toContain("s3cr3t-value");
    expect(logs.join("\n")).not.toContain("X-Amz-Signature");
  });

  it("answers FAILED with the error when a dependency fails", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const { sent, send } = recordingSend();
    const error = Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" });
    await runEvent(createEvent(), fakeDeps({ failWith: error }), 10_000, send);
    expect(sent).toEqual([{ status: "FAILED", reason: "AccessDeniedException: User is not authorized" }]);
  });

  it("answers FAILED before the Lambda timeout when a call hangs", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.useFakeTimers();
    const hanging: SecureStringDeps = { ...fakeDeps(), readClientSecret: () => new Promise(() => {}) };
    const { sent, send } = recordingSend();
    const run = runEvent(createEvent(), hanging, 5_000, send);
    await vi.advanceTimersByTimeAsync(5_000);
    await run;
    expect(sent).toEqual([{ status: "FAILED", reason: "Error: Timed out reading or writing the secret" }]);
  });
});
