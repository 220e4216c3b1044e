// Lambda entry point for the Function URL: one handler instance per warm execution environment.
import { createHandler } from "./handler.js";

/** The Function URL handler (payload 2.0, auth NONE); created at module scope so caches survive warm calls. */
export const handler = createHandler();

export { createHandler, type FunctionUrlHandler, type HandlerOptions } from "./handler.js";
