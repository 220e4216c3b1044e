// Public API of the kit console: its history, its server, and how it shares the control port.
import type { RequestListener } from "node:http";
import { CONSOLE_PATH } from "./consoleServer.js";

export { CONSOLE_PATH, type ConsoleSources, createKitConsole, type KitConsole } from "./consoleServer.js";
export { ConsoleHistory, DEFAULT_HISTORY, type HistoryLimits } from "./history.js";

/** The control port's handler with the console mounted at `/console`. */
export function withConsole(control: RequestListener, console: RequestListener): RequestListener {
  return (req, res) => {
    const url = req.url ?? "/";
    if (url === CONSOLE_PATH || url.startsWith(`${CONSOLE_PATH}/`) || url.startsWith(`${CONSOLE_PATH}?`))
      console(req, res);
    else control(req, res);
  };
}
