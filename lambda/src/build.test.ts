// The esbuild bundle: small, self-contained except for the AWS SDK, and answering like the source handler.
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { codeEvent, FakeAws, PREFIX, SSM_ENDPOINT } from "../../test/support/handler.js";
import { buildLambda } from "../build.js";
import type { FunctionUrlHandler } from "./handler.js";

// Inside lambda/ so the bundle's "@aws-sdk/*" imports resolve from the repo's node_modules.
const distDir = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
await mkdir(distDir, { recursive: true });
const outDir = await mkdtemp(join(distDir, "test-build-"));
const fake = await FakeAws.create();
const server = setupServer(...fake.handlers());

beforeAll(() => {
  vi.stubEnv("AWS_ENDPOINT_URL_SSM", SSM_ENDPOINT);
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "fake-secret-access-key");
  vi.stubEnv("CONFIG_PARAMETER_PREFIX", PREFIX);
  server.listen({ onUnhandledFrame: "error" });
});
afterAll(async () => {
  server.close();
  vi.unstubAllEnvs();
  await rm(outDir, { recursive: true, force: true });
});

describe("Function: buildLambda", () => {
  it("bundles an ESM module under 100 KB whose handler authenticates a user", {
    timeout: 30_000,
  }, async () => {
    const { outfile, bytes } = await buildLambda({ outfile: join(outDir, "index.mjs") });
    const code = await readFile(outfile, "utf8");
    const { handler } = (await import(outfile)) as { handler: FunctionUrlHandler };
    const logs: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: string) => logs.push(line));
    try {
      const ok = await handler(codeEvent(await fake.issueCode()));
      const badKey = await handler(codeEvent(await fake.issueCode(await fake.accessToken({}, "other"))));

      expect(bytes).toBeLessThan(100 * 1024);
      expect(code).toMatch(/from"@aws-sdk\/client-ssm"/);
      expect(code).not.toMatch(/from"aws-jwt-verify/);
      expect([ok.statusCode, badKey.statusCode]).toEqual([200, 401]);
      // Class names survive minification, so log lines stay readable.
      expect(JSON.parse(logs.at(-1) ?? "{}")).toMatchObject({
        errorType: "NotAuthorizedError",
        reason: "KidNotFoundInJwksError",
      });
    } finally {
      log.mockRestore();
    }
  });
});
