// Behaviour of the redacting JSON logger.
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED, redactValue } from "./log.js";

describe("Function: createLogger", () => {
  it("writes one JSON line with level and msg first", () => {
    const lines: string[] = [];
    createLogger((line) => lines.push(line)).log("info", "request finished", {
      status: 200,
      coldStart: true,
    });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('{"level":"info","msg":"request finished","status":200,"coldStart":true}');
  });

  it("masks sensitive values wherever they appear, and sensitive keys whatever they hold", () => {
    const lines: string[] = [];
    const secret = "super-secret-value-42";
    createLogger((line) => lines.push(line)).log(
      "error",
      "failed",
      {
        reason: `upstream said ${secret}`,
        nested: [{ note: secret }],
        clientSecret: "x",
        code: "abc",
        authorization: "Basic y",
      },
      [secret],
    );

    const line = JSON.parse(lines[0] ?? "{}");
    expect(line).toEqual({
      level: "error",
      msg: "failed",
      reason: `upstream said ${REDACTED}`,
      nested: [{ note: REDACTED }],
      clientSecret: REDACTED,
      code: REDACTED,
      authorization: REDACTED,
    });
  });

  it("masks anything shaped like a JWT even when not registered", () => {
    const jwt = "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
    expect(redactValue(`token was ${jwt}!`)).toBe(`token was ${REDACTED}!`);
  });
});
