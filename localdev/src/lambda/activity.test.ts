// Reading the runtime's log lines into the console's records.
import { describe, expect, it } from "vitest";
import { parseRuntimeLine } from "./activity.js";

const id = "7e031e28-9ce5-426b-bc79-6a4b27396420";
const at = "2026-01-01T00:00:00.000Z";

describe("Method: parseRuntimeLine", () => {
  it("takes the request id and console level of the function's own lines", () => {
    expect(parseRuntimeLine("fn", "info", `${id} WARN {"msg":"x"}`, at)).toEqual({
      time: at,
      functionName: "fn",
      requestId: id,
      level: "WARN",
      text: '{"msg":"x"}',
    });
  });

  it("reads REPORT lines, runtime notices and lines logged outside an invocation", () => {
    const report = `REPORT RequestId: ${id} Duration: 1.00 ms Billed Duration: 1 ms`;
    expect(parseRuntimeLine("fn", "info", report, at)).toMatchObject({
      requestId: id,
      level: "REPORT",
      text: report,
    });
    expect(parseRuntimeLine("fn", "error", `${id} Invoke Error TypeError: boom`, at)).toMatchObject({
      requestId: id,
      level: "ERROR",
      text: "Invoke Error TypeError: boom",
    });
    const init = parseRuntimeLine("fn", "info", "- INFO loading config", at);
    expect(init).toMatchObject({ level: "INFO", text: "loading config" });
    expect(init.requestId).toBeUndefined();
    expect(parseRuntimeLine("fn", "info", "Code reloaded; next invocation starts cold", at)).toMatchObject({
      level: "INFO",
      text: "Code reloaded; next invocation starts cold",
    });
  });
});
