// Test support: a plain Node.js function config for the runtime and Function URL tests.
import type { FunctionConfig } from "../../../localdev/src/lambda/config.js";

/** `index.handler` on Node.js 22 with Lambda's default memory and a 3 s timeout, plus `overrides`. */
export function testFunctionConfig(codeDir: string, overrides: Partial<FunctionConfig> = {}): FunctionConfig {
  return {
    name: "TestFn",
    codeDir,
    handler: "index.handler",
    runtime: "nodejs22.x",
    environment: {},
    timeoutSeconds: 3,
    memorySizeMb: 128,
    ...overrides,
  };
}
