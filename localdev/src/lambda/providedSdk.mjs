// Module resolve hook for function code: `@aws-sdk/*` and `@smithy/*` come from the kit when the asset lacks them,
// as the Lambda Node.js runtime provides the SDK wherever the asset was unpacked. A synchronous hook, so it
// applies to `import` and `require` alike, in the function's own thread.
import { createRequire, registerHooks } from "node:module";
import { pathToFileURL } from "node:url";

const KIT_PACKAGE = new URL("../../../package.json", import.meta.url).href;
const kitRequire = createRequire(KIT_PACKAGE);
const PROVIDED = /^@(aws-sdk|smithy)\//;
const NOT_FOUND = new Set(["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"]);

export function provideAwsSdk() {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if (!NOT_FOUND.has(error?.code) || !PROVIDED.test(specifier)) throw error;
        // require() resolves from its calling module whatever parentURL says, so resolve it from the kit here.
        if (context.conditions?.includes("require")) {
          return { url: pathToFileURL(kitRequire.resolve(specifier)).href, shortCircuit: true };
        }
        return nextResolve(specifier, { ...context, parentURL: KIT_PACKAGE });
      }
    },
  });
}
