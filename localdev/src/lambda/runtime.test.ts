// The function runtime with small handler files written to a temp dir: cold/warm, reload, errors, concurrency.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { testFunctionConfig } from "../../../test/support/lambda/functionConfig.js";
import { createLogger } from "../shared/log.js";
import { type FunctionConfig, functionConfigFromTemplate } from "./config.js";
import { createFunctionRuntime, type FunctionRuntime, type InvokeResult } from "./runtime.js";

const root = mkdtempSync(join(tmpdir(), "furl-lambda-runtime-"));
let fixtureCount = 0;
const runtimes: FunctionRuntime[] = [];

afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeFunction(code: string, file = "index.mjs"): string {
  const dir = join(root, `fn-${++fixtureCount}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), code);
  return dir;
}

function start(codeDir: string, overrides: Partial<FunctionConfig> = {}, maxQueued?: number) {
  const lines: string[] = [];
  const config = testFunctionConfig(codeDir, {
    environment: { GREETING: "hello" },
    timeoutSeconds: 5,
    memorySizeMb: 256,
    ...overrides,
  });
  const runtime = createFunctionRuntime(config, {
    log: createLogger("lambda", { level: "debug", write: (line) => lines.push(line) }),
    maxQueued,
  });
  runtimes.push(runtime);
  return { runtime, lines, config };
}

function returnedValue(result: InvokeResult): unknown {
  if (!result.ok) throw new Error(`invocation failed: ${result.errorType}: ${result.errorMessage}`);
  return result.payload;
}

function payloadOf(result: InvokeResult): Record<string, unknown> {
  return returnedValue(result) as Record<string, unknown>;
}

const COUNTER = `
let count = 0;
export const handler = async (event, context) => {
  count++;
  if (event?.loop) { while (true) {} }
  console.log("call", count);
  return { count, version: "v1" };
};
`;

describe("Method: invoke", () => {
  it("cold-starts once, then keeps module state warm across invocations", async () => {
    const { runtime } = start(writeFunction(COUNTER));
    const first = await runtime.invoke({});
    const second = await runtime.invoke({});
    expect(payloadOf(first)).toEqual({ count: 1, version: "v1" });
    expect(payloadOf(second)).toEqual({ count: 2, version: "v1" });
    expect(first.ok && first.cold && first.initDurationMs !== undefined).toBe(true);
    expect(second.ok && !second.cold && second.initDurationMs === undefined).toBe(true);
  });

  it("logs the handler's console output with the function name, and one REPORT line per invocation", async () => {
    const { runtime, lines } = start(writeFunction(COUNTER));
    const cold = await runtime.invoke({});
    const warm = await runtime.invoke({});
    expect(
      lines.some((l) => l.startsWith("[lambda:TestFn]") && l.includes(`${cold.requestId} INFO call 1`)),
    ).toBe(true);
    const reports = lines.filter((l) => l.includes("REPORT RequestId:"));
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatch(
      new RegExp(
        `REPORT RequestId: ${cold.requestId} Duration: \\d+\\.\\d{2} ms Billed Duration: \\d+ ms ` +
          "Memory Size: 256 MB Max Memory Used: \\d+ MB Init Duration: \\d+\\.\\d{2} ms$",
      ),
    );
    expect(reports[1]).toContain(`REPORT RequestId: ${warm.requestId}`);
    expect(reports[1]).not.toContain("Init Duration");
  });

  it("passes the function's environment, Lambda's own variables and nothing from the kit's process", async () => {
    process.env.FURL_PARENT_ONLY = "leak";
    const { runtime } = start(
      writeFunction(`export const handler = async () => ({
        greeting: process.env.GREETING,
        region: process.env.AWS_REGION,
        name: process.env.AWS_LAMBDA_FUNCTION_NAME,
        memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
        parentOnly: process.env.FURL_PARENT_ONLY ?? null,
      });`),
      { environment: { GREETING: "hi", AWS_REGION: "eu-west-1" } },
    );
    const payload = payloadOf(await runtime.invoke({}));
    delete process.env.FURL_PARENT_ONLY;
    expect(payload).toEqual({
      greeting: "hi",
      region: "eu-west-1",
      name: "TestFn",
      memory: "256",
      parentOnly: null,
    });
  });

  it("hands the handler a Lambda-like context", async () => {
    const { runtime } = start(
      writeFunction(`export const handler = async (event, context) => ({
        awsRequestId: context.awsRequestId,
        functionName: context.functionName,
        memoryLimitInMB: context.memoryLimitInMB,
        arn: context.invokedFunctionArn,
        remaining: context.getRemainingTimeInMillis(),
        event,
      });`),
      { timeoutSeconds: 7, region: "us-east-1" },
    );
    const result = await runtime.invoke(
      { hello: "world" },
      { requestId: "11111111-2222-3333-4444-555555555555" },
    );
    const payload = payloadOf(result);
    expect(payload).toMatchObject({
      awsRequestId: "11111111-2222-3333-4444-555555555555",
      functionName: "TestFn",
      memoryLimitInMB: "256",
      arn: "arn:aws:lambda:us-east-1:000000000000:function:TestFn",
      event: { hello: "world" },
    });
    expect(payload.remaining).toBeGreaterThan(0);
    expect(payload.remaining).toBeLessThanOrEqual(7000);
  });

  it("supports callback-style handlers", async () => {
    const { runtime } = start(
      writeFunction(
        `export function handler(event, context, callback) { callback(null, { via: "callback" }); }`,
      ),
    );
    expect(payloadOf(await runtime.invoke({}))).toEqual({ via: "callback" });
  });

  it("returns an error result (502) when the handler throws, and keeps the instance warm", async () => {
    const { runtime, lines } = start(
      writeFunction(
        `let n = 0; export const handler = async (e) => { n++; if (e.fail) throw new TypeError("bad thing"); return { n }; };`,
      ),
    );
    const failed = await runtime.invoke({ fail: true });
    expect(failed).toMatchObject({
      ok: false,
      status: 502,
      errorType: "TypeError",
      errorMessage: "bad thing",
    });
    expect(lines.some((l) => l.includes("Invoke Error TypeError: bad thing"))).toBe(true);
    expect(payloadOf(await runtime.invoke({}))).toEqual({ n: 2 });
  });

  it("terminates the instance on timeout and starts the next invocation cold", async () => {
    const { runtime, lines } = start(writeFunction(COUNTER), { timeoutSeconds: 0.5 });
    expect(payloadOf(await runtime.invoke({}))).toMatchObject({ count: 1 });
    const timedOut = await runtime.invoke({ loop: true });
    expect(timedOut).toMatchObject({ ok: false, status: 502, errorType: "Sandbox.Timedout" });
    expect(!timedOut.ok && timedOut.errorMessage).toContain("Task timed out after 0.50 seconds");
    expect(
      lines.some(
        (l) => l.includes(`REPORT RequestId: ${timedOut.requestId}`) && l.includes("Status: timeout"),
      ),
    ).toBe(true);
    const after = await runtime.invoke({});
    expect(payloadOf(after)).toMatchObject({ count: 1 });
    expect(after.ok && after.cold).toBe(true);
  });

  it("turns a module that fails to import into an error result with a clear log line, and stays up", async () => {
    const dir = writeFunction(`throw new Error("cannot start: missing config");`);
    const { runtime, lines } = start(dir);
    const failed = await runtime.invoke({});
    expect(failed).toMatchObject({
      ok: false,
      status: 502,
      errorType: "Error",
      errorMessage: "cannot start: missing config",
    });
    expect(lines.some((l) => l.includes("Init failed: Error: cannot start: missing config"))).toBe(true);

    writeFileSync(join(dir, "index.mjs"), `export const handler = async () => "fixed";`);
    runtime.reload();
    expect(returnedValue(await runtime.invoke({}))).toBe("fixed");
  });

  it("names a missing module, a missing export and a syntax error like Lambda", async () => {
    const missingFile = start(writeFunction("export const handler = 1;", "other.mjs")).runtime;
    expect(await missingFile.invoke({})).toMatchObject({ ok: false, errorType: "Runtime.ImportModuleError" });
    const missingExport = start(writeFunction("export const other = async () => 1;")).runtime;
    expect(await missingExport.invoke({})).toMatchObject({ ok: false, errorType: "Runtime.HandlerNotFound" });
    const syntax = start(writeFunction("export const handler = async () => {")).runtime;
    expect(await syntax.invoke({})).toMatchObject({ ok: false, errorType: "Runtime.UserCodeSyntaxError" });
  });

  it("reports an instance that exits mid-invocation as Runtime.ExitError and starts cold next time", async () => {
    const { runtime } = start(
      writeFunction(
        `let n = 0; export const handler = async (e) => { n++; if (e.exit) process.exit(3); return n; };`,
      ),
    );
    await runtime.invoke({});
    expect(await runtime.invoke({ exit: true })).toMatchObject({
      ok: false,
      status: 502,
      errorType: "Runtime.ExitError",
    });
    const after = await runtime.invoke({});
    expect(returnedValue(after)).toBe(1);
    expect(after.ok && after.cold).toBe(true);
  });

  it("stops an instance that exceeds its memory size with Runtime.OutOfMemory", async () => {
    const { runtime } = start(
      writeFunction(
        `export const handler = async () => { const keep = []; for (;;) keep.push(new Array(1e6).fill(1)); };`,
      ),
      { memorySizeMb: 32 },
    );
    expect(await runtime.invoke({})).toMatchObject({
      ok: false,
      status: 502,
      errorType: "Runtime.OutOfMemory",
    });
  });

  it("runs parallel invocations on distinct instances", async () => {
    const gate = join(root, `gate-${++fixtureCount}`);
    mkdirSync(gate);
    // Each call waits until two calls have arrived: with a single instance it would time out instead.
    const { runtime } = start(
      writeFunction(`
        import { readdirSync, writeFileSync } from "node:fs";
        export const handler = async () => {
          writeFileSync(${JSON.stringify(gate)} + "/" + process.pid, "");
          while (readdirSync(${JSON.stringify(gate)}).length < 2) await new Promise((r) => setTimeout(r, 5));
          return { pid: process.pid };
        };`),
      { timeoutSeconds: 10 },
    );
    const [a, b] = await Promise.all([runtime.invoke({}), runtime.invoke({})]);
    expect(a.ok && b.ok).toBe(true);
    expect(a.ok && b.ok && a.instanceId !== b.instanceId).toBe(true);
    expect(payloadOf(a).pid).not.toBe(payloadOf(b).pid);
  });

  /** A function whose invocations all wait until `release()` is called. */
  function gatedFunction() {
    const gate = join(root, `release-${++fixtureCount}`);
    const codeDir = writeFunction(`
      import { existsSync } from "node:fs";
      export const handler = async () => {
        while (!existsSync(${JSON.stringify(gate)})) await new Promise((r) => setTimeout(r, 5));
        return "done";
      };`);
    return { codeDir, release: () => writeFileSync(gate, "") };
  }

  it("queues beyond the concurrency cap and throttles (429) when the queue is full", async () => {
    const { codeDir, release } = gatedFunction();
    const { runtime } = start(codeDir, { maxConcurrency: 1, timeoutSeconds: 10 }, 1);
    const running = runtime.invoke({});
    const queued = runtime.invoke({});
    const throttled = await runtime.invoke({});
    expect(throttled).toMatchObject({ ok: false, status: 429, errorType: "TooManyRequestsException" });
    release();
    const [first, second] = await Promise.all([running, queued]);
    expect(first.ok && second.ok && first.instanceId === second.instanceId && !second.cold).toBe(true);
    expect(runtime.recentInvocations().map((r) => r.status)).toEqual(["success", "success", "throttled"]);
  });

  it("without reserved concurrency, queues a burst beyond the instances instead of throttling it", async () => {
    const { codeDir, release } = gatedFunction();
    const { runtime } = start(codeDir, { timeoutSeconds: 10 });
    // More than any default instance count plus the reserved-concurrency queue (10 + 32).
    const burst = Array.from({ length: 50 }, () => runtime.invoke({}));
    release();
    const results = await Promise.all(burst);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const instances = new Set(results.map((r) => (r.ok ? r.instanceId : "")));
    expect(instances.size).toBeLessThanOrEqual(10);
  });

  it("throttles everything when reserved concurrency is zero", async () => {
    const { runtime } = start(writeFunction(COUNTER), { maxConcurrency: 0 });
    expect(await runtime.invoke({})).toMatchObject({ ok: false, status: 429 });
  });
});

describe("Method: reload", () => {
  it("retires instances: the next request cold-starts the changed code", async () => {
    const dir = writeFunction(COUNTER);
    const { runtime } = start(dir);
    await runtime.invoke({});
    await runtime.invoke({});
    writeFileSync(join(dir, "index.mjs"), COUNTER.replace('"v1"', '"v2"'));
    runtime.reload();
    const after = await runtime.invoke({});
    expect(payloadOf(after)).toEqual({ count: 1, version: "v2" });
    expect(after.ok && after.cold).toBe(true);
  });

  it("applies a new config", async () => {
    const { runtime, config } = start(
      writeFunction(`export const handler = async () => process.env.GREETING;`),
    );
    expect(returnedValue(await runtime.invoke({}))).toBe("hello");
    runtime.reload({ ...config, environment: { GREETING: "changed" } });
    expect(returnedValue(await runtime.invoke({}))).toBe("changed");
  });
});

describe("Method: recentInvocations", () => {
  it("lists invocations newest first with status, cold flag and durations", async () => {
    const { runtime } = start(writeFunction(COUNTER));
    const cold = await runtime.invoke({});
    const warm = await runtime.invoke({});
    const [latest, earlier] = runtime.recentInvocations();
    expect(latest).toMatchObject({ requestId: warm.requestId, status: "success", cold: false });
    expect(latest?.initDurationMs).toBeUndefined();
    expect(earlier).toMatchObject({ requestId: cold.requestId, status: "success", cold: true });
    expect(earlier?.initDurationMs).toBeGreaterThan(0);
    expect(Date.parse(earlier?.startedAt ?? "")).not.toBeNaN();
  });
});

describe("Runtime: the Node major each Lambda runtime declares", () => {
  // Promise.withResolvers exists from Node 22 on; URLPattern is a global from Node 24 on.
  const PROBE = writeFunction(`
    export const handler = async () => {
      const { promise, resolve } = Promise.withResolvers();
      resolve(typeof URLPattern);
      return { version: process.version, urlPattern: await promise, env: process.env.AWS_EXECUTION_ENV };
    };`);

  it("runs nodejs22.x on Node 22 and nodejs24.x on Node 24, each a process of its own", async () => {
    const on22 = payloadOf(await start(PROBE, { runtime: "nodejs22.x" }).runtime.invoke({}));
    const on24 = payloadOf(await start(PROBE, { runtime: "nodejs24.x" }).runtime.invoke({}));
    expect(on22).toEqual({
      version: expect.stringMatching(/^v22\./),
      urlPattern: "undefined",
      env: "AWS_Lambda_nodejs22.x",
    });
    expect(on24).toEqual({
      version: expect.stringMatching(/^v24\./),
      urlPattern: "function",
      env: "AWS_Lambda_nodejs24.x",
    });
  });

  it("fails code that uses a Node 24 global on nodejs22.x, as Lambda's Node 22 does", async () => {
    const dir = writeFunction(
      `export const handler = async () => new URLPattern({ pathname: "/a" }).test("https://x/a");`,
    );
    expect(returnedValue(await start(dir, { runtime: "nodejs24.x" }).runtime.invoke({}))).toBe(true);
    expect(await start(dir, { runtime: "nodejs22.x" }).runtime.invoke({})).toMatchObject({
      ok: false,
      errorType: "ReferenceError",
      errorMessage: "URLPattern is not defined",
    });
  });

  it("ends its instance processes when closed, and kills one that times out", async () => {
    const dir = writeFunction(
      `export const handler = async (e) => { if (e.loop) for (;;); return process.pid; };`,
    );
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const { runtime } = start(dir, { timeoutSeconds: 0.5 });
    const looping = returnedValue(await runtime.invoke({})) as number;
    expect(await runtime.invoke({ loop: true })).toMatchObject({ errorType: "Sandbox.Timedout" });
    expect(alive(looping)).toBe(false);
    const next = returnedValue(await runtime.invoke({})) as number;
    expect(next).not.toBe(looping);
    await runtime.close();
    expect(alive(next)).toBe(false);
  });

  it("names a deprecated runtime at start-up and answers each invocation with InvalidRuntimeException", async () => {
    const { runtime, lines } = start(PROBE, { runtime: "nodejs20.x" });
    expect(
      lines.some((l) => l.includes("Runtime nodejs20.x cannot run here: nodejs20.x is deprecated")),
    ).toBe(true);
    const result = await runtime.invoke({});
    expect(result).toMatchObject({ ok: false, status: 502, errorType: "InvalidRuntimeException" });
    expect(!result.ok && result.errorMessage).toMatch(/nodejs20\.x .*use nodejs22\.x or nodejs24\.x/);
    expect(runtime.recentInvocations()[0]).toMatchObject({
      status: "error",
      errorType: "InvalidRuntimeException",
    });
  });

  it("follows a reload that changes the runtime, to one it cannot run and back", async () => {
    const { runtime, config, lines } = start(PROBE, { runtime: "nodejs24.x" });
    expect(payloadOf(await runtime.invoke({})).version).toMatch(/^v24\./);
    runtime.reload({ ...config, runtime: "nodejs20.x" });
    expect(await runtime.invoke({})).toMatchObject({ ok: false, errorType: "InvalidRuntimeException" });
    expect(lines.some((l) => l.includes("Runtime nodejs20.x cannot run here"))).toBe(true);
    runtime.reload({ ...config, runtime: "nodejs22.x" });
    expect(payloadOf(await runtime.invoke({})).version).toMatch(/^v22\./);
  });

  it("names a runtime that is not Node.js the same way", async () => {
    const { runtime, lines } = start(PROBE, { name: "Py", runtime: "python3.13" });
    expect(
      lines.some((l) =>
        l.includes("Runtime python3.13 cannot run here: furl-kit runs Node.js runtimes only"),
      ),
    ).toBe(true);
    expect(await runtime.invoke({})).toMatchObject({ ok: false, errorType: "InvalidRuntimeException" });
  });

  it("provides the AWS SDK v3 to import and require when the asset leaves it out, as Lambda's runtime does", async () => {
    const esm = writeFunction(`
      import { SSMClient } from "@aws-sdk/client-ssm";
      export const handler = async () => typeof SSMClient;`);
    const cjs = writeFunction(
      `exports.handler = async () => typeof require("@aws-sdk/client-ssm").SSMClient;`,
      "index.cjs",
    );
    expect(returnedValue(await start(esm, { runtime: "nodejs22.x" }).runtime.invoke({}))).toBe("function");
    expect(returnedValue(await start(cjs, { runtime: "nodejs24.x" }).runtime.invoke({}))).toBe("function");
  });

  it("runs a .js asset as Lambda does: CommonJS unless a package.json inside it says module, whatever encloses it", async () => {
    const project = join(root, `project-${++fixtureCount}`);
    mkdirSync(join(project, "cjs"), { recursive: true });
    mkdirSync(join(project, "esm"), { recursive: true });
    writeFileSync(join(project, "package.json"), '{"type":"module"}');
    writeFileSync(
      join(project, "cjs", "index.js"),
      "exports.handler = async () => typeof require(`./util.js`).x;",
    );
    writeFileSync(join(project, "cjs", "util.js"), "module.exports = { x: 1 };");
    writeFileSync(join(project, "esm", "package.json"), '{"type":"module"}');
    writeFileSync(join(project, "esm", "index.js"), "export const handler = async () => typeof module;");
    for (const runtime of ["nodejs22.x", "nodejs24.x"]) {
      expect(returnedValue(await start(join(project, "cjs"), { runtime }).runtime.invoke({}))).toBe("number");
      expect(returnedValue(await start(join(project, "esm"), { runtime }).runtime.invoke({}))).toBe(
        "undefined",
      );
    }
  });

  it("applies Lambda's Node 22 flags: require() of an ES module fails unless NODE_OPTIONS turns it back on", async () => {
    const dir = writeFunction(`exports.handler = async () => require("./esm.mjs").value;`, "index.cjs");
    writeFileSync(join(dir, "esm.mjs"), "export const value = 'esm';");
    expect(await start(dir, { runtime: "nodejs22.x" }).runtime.invoke({})).toMatchObject({
      ok: false,
      errorMessage: expect.stringContaining("require() of ES Module"),
    });
    const reenabled = start(dir, {
      runtime: "nodejs22.x",
      environment: { NODE_OPTIONS: "--experimental-require-module" },
    });
    expect(returnedValue(await reenabled.runtime.invoke({}))).toBe("esm");
  });
});

describe("Function: functionConfigFromTemplate", () => {
  it("maps the resolved properties, with the kit's variables winning", () => {
    const config = functionConfigFromTemplate({
      name: "Api",
      codeDir: "/assets/abc",
      properties: {
        Handler: "index.handler",
        Runtime: "nodejs22.x",
        Timeout: 10,
        MemorySize: 512,
        ReservedConcurrentExecutions: 2,
        Environment: {
          Variables: { CONFIG_PARAMETER_PREFIX: "/furl-kit/FurlKit", AWS_ENDPOINT_URL_SSM: "x" },
        },
      },
      extraEnvironment: { AWS_ENDPOINT_URL_SSM: "http://127.0.0.1:4583" },
    });
    expect(config).toEqual({
      name: "Api",
      codeDir: "/assets/abc",
      handler: "index.handler",
      runtime: "nodejs22.x",
      environment: {
        CONFIG_PARAMETER_PREFIX: "/furl-kit/FurlKit",
        AWS_ENDPOINT_URL_SSM: "http://127.0.0.1:4583",
      },
      timeoutSeconds: 10,
      memorySizeMb: 512,
      maxConcurrency: 2,
    });
  });

  it("uses Lambda's defaults and rejects unresolved intrinsics", () => {
    const base = { name: "Api", codeDir: "/a", extraEnvironment: {} };
    const config = functionConfigFromTemplate({
      ...base,
      properties: { Handler: "index.handler", Runtime: "nodejs22.x" },
    });
    expect(config).toMatchObject({ timeoutSeconds: 3, memorySizeMb: 128 });
    expect(config.maxConcurrency).toBeUndefined();
    expect(() =>
      functionConfigFromTemplate({
        ...base,
        properties: {
          Handler: "index.handler",
          Runtime: "nodejs22.x",
          Environment: { Variables: { A: { Ref: "X" } } },
        },
      }),
    ).toThrow(/A is unresolved/);
  });
});
