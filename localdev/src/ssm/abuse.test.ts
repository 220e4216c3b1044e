// Abuse of the SSM emulator as regressions: catastrophic AllowedPatterns, inherited-property targets.
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkErrorOf } from "../../../test/support/sdkErrorOf.js";
import { type Listening, listen } from "../shared/listen.js";
import { createSsmEmulator } from "./index.js";

let server: Listening;
let ssm: SSMClient;

beforeAll(async () => {
  const emulator = createSsmEmulator({ region: "us-east-1", secrets: (id) => ({ known: "v" })[id] });
  server = await listen(emulator.handler, 0, "ssm");
  ssm = new SSMClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAFAKE", secretAccessKey: "fake" },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  ssm.destroy();
  await server.close();
});

const put = (Name: string, Value: string, AllowedPattern: string) =>
  ssm.send(new PutParameterCommand({ Name, Value, Type: "String", AllowedPattern }));

const call = async (target: string, body: unknown = {}) => {
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { __type: string; message: string } };
};

describe("AllowedPattern on a linear-time engine", () => {
  it("answers a catastrophic pattern at once: ^(a+)+$ against 4,000 a's and a !", async () => {
    // A backtracking engine needs about 2^4000 steps for this; RE2 needs one pass.
    expect(await sdkErrorOf(put("/abuse/redos", `${"a".repeat(4000)}!`, "^(a+)+$"))).toMatchObject({
      name: "ParameterPatternMismatchException",
      status: 400,
    });
    expect((await put("/abuse/redos", "a".repeat(4000), "^(a+)+$")).Version).toBe(1);
  });

  it("refuses what RE2 cannot run (backreferences, lookarounds) and patterns over 1024 characters", async () => {
    expect(await sdkErrorOf(put("/abuse/backref", "aa", "^(a)\\1$"))).toMatchObject({
      name: "ValidationException",
      message: "AllowedPattern ^(a)\\1$ is not a valid regular expression.",
    });
    expect(await sdkErrorOf(put("/abuse/long", "a", "a".repeat(1025)))).toMatchObject({
      name: "ValidationException",
    });
  });

  it("refuses, as not emulated, a pattern whose program is too large for the value's length", async () => {
    expect(await sdkErrorOf(put("/abuse/huge", "a".repeat(4096), "(a?){1000}a{1000}"))).toMatchObject({
      name: "NotEmulated",
      status: 501,
    });
  });
});

describe("X-Amz-Target dispatch", () => {
  it("answers UnknownOperationException for inherited property names, never 200 or 500", async () => {
    for (const name of [
      "constructor",
      "__proto__",
      "hasOwnProperty",
      "valueOf",
      "isPrototypeOf",
      "toString",
    ]) {
      expect(await call(`AmazonSSM.${name}`, { Name: "/x" })).toEqual({
        status: 400,
        body: { __type: "UnknownOperationException", message: `Unknown operation "${name}".` },
      });
    }
  });

  it("reports a real but unemulated operation as not emulated", async () => {
    expect(await call("AmazonSSM.LabelParameterVersion")).toMatchObject({
      status: 501,
      body: { __type: "FurlKit#NotEmulated" },
    });
  });

  it("finds no secret for an inherited property name", async () => {
    expect(
      await call("AmazonSSM.GetParameter", {
        Name: "/aws/reference/secretsmanager/constructor",
        WithDecryption: true,
      }),
    ).toMatchObject({ status: 400, body: { __type: "ParameterNotFound" } });
  });
});
