// Public API of the Lambda runtime and Function URL emulator.
export { type FunctionConfig, functionConfigFromTemplate } from "./config.js";
export { createFunctionUrl, MAX_REQUEST_BYTES } from "./functionUrl.js";
export {
  createFunctionRuntime,
  type FunctionRuntime,
  type InstanceCounts,
  type InvocationRecord,
  type InvocationStatus,
  type InvokeResult,
  type RuntimeDeps,
} from "./runtime.js";
export { type FunctionUrlConfig, functionUrlConfigFromTemplate } from "./urlConfig.js";
export type { FunctionUrlEvent } from "./urlEvent.js";
export { type FunctionUrlService, startFunctionUrlService } from "./urlService.js";
