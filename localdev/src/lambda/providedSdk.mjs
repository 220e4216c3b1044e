// Module resolve hook for function code: `@aws-sdk/*` and `@smithy/*` come from the kit when the asset lacks them,
// as the Lambda Node.js runtime provides the SDK wherever the asset was unpacked.
const KIT_PACKAGE = new URL("../../../package.json", import.meta.url).href;
const PROVIDED = /^@(aws-sdk|smithy)\//;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND" || !PROVIDED.test(specifier)) throw error;
    return nextResolve(specifier, { ...context, parentURL: KIT_PACKAGE });
  }
}
