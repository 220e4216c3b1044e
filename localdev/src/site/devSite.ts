// The page through Vite's dev server (middleware mode) with hot module replacement, on the site's own port;
// /config.json still comes from the deployment (the same local values the built site gets).
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { join } from "node:path";

export interface DevSite {
  handler: RequestListener;
  close(): Promise<void>;
}

/**
 * Starts Vite from web/vite.config.ts under `root`, its HMR WebSocket on `server` (the site's port).
 * @param configJson serves /config.json (the deployment's, with the kit's overlay)
 */
export async function createDevSite(options: {
  root: string;
  server: Server;
  configJson: RequestListener;
}): Promise<DevSite> {
  // Loaded only in dev mode: Vite is a development tool, not part of what the kit needs to serve a build.
  const { createServer } = await import("vite");
  const vite = await createServer({
    configFile: join(options.root, "web", "vite.config.ts"),
    root: join(options.root, "web"),
    appType: "spa",
    clearScreen: false,
    logLevel: "warn",
    server: { middlewareMode: true, hmr: { server: options.server } },
  });
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (new URL(req.url ?? "/", "http://site").pathname === "/config.json")
      return options.configJson(req, res);
    vite.middlewares(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
    });
  };
  return { handler, close: () => vite.close() };
}
