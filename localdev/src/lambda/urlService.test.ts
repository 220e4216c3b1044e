// The Function URL service in its own thread, driven from this one: start, configure, reload, logs, close.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testFunctionConfig } from "../../../test/support/lambda/functionConfig.js";
import { PortInUseError } from "../shared/listen.js";
import { createLogger } from "../shared/log.js";
import { type FunctionUrlService, startFunctionUrlService } from "./urlService.js";
import type { PortableUrlConfig } from "./urlServiceProtocol.js";

function writeFunction(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), "furl-url-service-"));
  writeFileSync(
    join(dir, "index.mjs"),
    `export const handler = async (event) => {
       console.log("handling", event.rawPath);
       return { statusCode: 200, body: ${JSON.stringify(version)} };
     };`,
  );
  return dir;
}

function urlConfig(service: FunctionUrlService): PortableUrlConfig {
  return {
    urlId: "svcurl",
    region: "us-east-1",
    authType: "NONE",
    acceptedHosts: [`127.0.0.1:${service.port}`],
  };
}

const started: FunctionUrlService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function start(lines: string[] = []) {
  const service = await startFunctionUrlService({
    port: 0,
    log: createLogger("kit", { write: (line) => lines.push(line) }),
  });
  started.push(service);
  return service;
}

describe("startFunctionUrlService", () => {
  it("answers 503 until configured, then runs the function and counts requests", async () => {
    const service = await start();
    expect((await fetch(service.url)).status).toBe(503);
    await service.configure(testFunctionConfig(writeFunction("v1")), urlConfig(service));
    const response = await fetch(`${service.url}/hello`, { method: "POST", body: "{}" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("v1");
    expect(service.requests()).toBe(2);
    const [latest] = await service.recentInvocations();
    expect(latest).toMatchObject({ status: "success", cold: true });
  });

  it("refuses a Host the URL does not answer to, as Lambda does", async () => {
    const service = await start();
    await service.configure(testFunctionConfig(writeFunction("v1")), {
      ...urlConfig(service),
      acceptedHosts: ["example.lambda-url.us-east-1.on.aws"],
    });
    expect((await fetch(service.url)).status).toBe(403);
  });

  it("reloads: the next request runs the new code, cold", async () => {
    const service = await start();
    await service.configure(testFunctionConfig(writeFunction("v1")), urlConfig(service));
    expect(await (await fetch(service.url)).text()).toBe("v1");
    await service.configure(testFunctionConfig(writeFunction("v2")), urlConfig(service));
    expect(await (await fetch(service.url)).text()).toBe("v2");
    const [latest] = await service.recentInvocations();
    expect(latest?.cold).toBe(true);
  });

  it("sends the function's log lines and REPORT lines to the kit's logger", async () => {
    const lines: string[] = [];
    const service = await start(lines);
    await service.configure(testFunctionConfig(writeFunction("v1"), { name: "svc" }), urlConfig(service));
    await fetch(`${service.url}/logged`);
    await service.close();
    expect(lines.some((l) => l.startsWith("[kit:lambda:svc]") && l.includes("handling /logged"))).toBe(true);
    expect(lines.some((l) => l.includes("REPORT RequestId:"))).toBe(true);
  });

  it("names a taken port", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expect(
        startFunctionUrlService({ port, log: createLogger("kit", { write() {} }) }),
      ).rejects.toEqual(new PortInUseError(port, "functionUrl"));
    } finally {
      blocker.close();
    }
  });

  it("names a runtime the kit cannot run when configured, and answers its requests with 502", async () => {
    const lines: string[] = [];
    const service = await start(lines);
    await service.configure(
      { ...testFunctionConfig(writeFunction("v1")), runtime: "python3.12" },
      urlConfig(service),
    );
    const response = await fetch(service.url);
    expect(response.status).toBe(502);
    expect(lines.some((l) => l.includes("Runtime python3.12 cannot run here"))).toBe(true);
    const [latest] = await service.recentInvocations();
    expect(latest).toMatchObject({ status: "error", errorType: "InvalidRuntimeException" });
  });
});
