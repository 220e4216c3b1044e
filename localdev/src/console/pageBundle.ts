// The console page (React, in ./page) built with Vite in memory the first time someone opens it: no build step
// to remember, nothing written to disk, and a kit nobody looks at never pays for it.
import { fileURLToPath } from "node:url";

export interface PageFile {
  contentType: string;
  body: Buffer;
}

const PAGE_ROOT = fileURLToPath(new URL("./page", import.meta.url));
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

/** Files of the built page by path below `base` (`index.html`, `assets/...`). */
export type PageFiles = Map<string, PageFile>;

/** Builds the page once, on first use; a failed build is retried on the next request. */
export function lazyPageBundle(base: string): () => Promise<PageFiles> {
  let building: Promise<PageFiles> | undefined;
  return () => {
    building ??= buildPage(base).catch((error: unknown) => {
      building = undefined;
      throw error;
    });
    return building;
  };
}

async function buildPage(base: string): Promise<PageFiles> {
  // Loaded here so the kit starts without Vite; React's plugin is the site's own.
  const [{ build }, { default: react }] = await Promise.all([import("vite"), import("@vitejs/plugin-react")]);
  const result = await build({
    root: PAGE_ROOT,
    base,
    configFile: false,
    logLevel: "silent",
    plugins: [react()],
    build: { write: false, emptyOutDir: false, reportCompressedSize: false, chunkSizeWarningLimit: 2048 },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Array<{
    output: Array<{ fileName: string; type: "chunk" | "asset"; code?: string; source?: string | Uint8Array }>;
  }>;
  const files: PageFiles = new Map();
  for (const item of outputs.flatMap((o) => o.output)) {
    const content = item.type === "chunk" ? item.code! : item.source!;
    const ext = item.fileName.split(".").pop() ?? "";
    files.set(item.fileName, {
      contentType: TYPES[ext] ?? "application/octet-stream",
      body: typeof content === "string" ? Buffer.from(content) : Buffer.from(content),
    });
  }
  if (!files.has("index.html")) throw new Error("The console page build produced no index.html");
  return files;
}
