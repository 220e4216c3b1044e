// Serves the site the way Amplify Hosting would: the deployed files, deploy-time values filled in.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { extname, join, normalize, relative } from "node:path";
import { decodeUriComponentOrReject, requestUrl } from "../shared/listen.js";
import { isS3Host } from "../shared/s3Host.js";
import type { LocalSiteSource } from "./fromTemplate.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

export interface SiteOptions {
  sources: LocalSiteSource[];
  /** Maps AWS endpoints in deploy-time values (after marker substitution) to the local ones. */
  rewrite: (text: string) => string;
  /** Extra fields merged into /config.json, e.g. `{ local: { viewerCountry: "US" } }`. */
  configOverlay?: () => Record<string, unknown>;
}

/** Every file the deployment uploads, later sources winning, like BucketDeployment's single prefix. */
function collectFiles(sources: LocalSiteSource[], rewrite: (text: string) => string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const source of sources) {
    for (const path of walk(source.dir)) {
      let content = readFileSync(join(source.dir, path));
      const markers = Object.entries(source.markers);
      if (markers.length) {
        let text = content.toString("utf8");
        for (const [marker, value] of markers) {
          const replacement = source.jsonEscape ? JSON.stringify(value).slice(1, -1) : value;
          text = text.split(marker).join(replacement);
        }
        // Deploy-time values are AWS URLs built around the markers; point them at the local servers.
        content = Buffer.from(rewrite(text));
      }
      files.set(`/${path.split("\\").join("/")}`, content);
    }
  }
  return files;
}

function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full, base) : [relative(base, full)];
  });
}

/** A request handler serving the site; `reload` picks up a new deployment. */
export function createSiteServer(options: SiteOptions): {
  handler: RequestListener;
  reload(sources: LocalSiteSource[], rewrite: (text: string) => string): void;
} {
  let files = collectFiles(options.sources, options.rewrite);

  const send = (res: ServerResponse, status: number, type: string, body: Buffer | string, cache: string) => {
    res.writeHead(status, {
      "content-type": type,
      "cache-control": cache,
      "x-content-type-options": "nosniff",
    });
    res.end(body);
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const path = normalize(decodeUriComponentOrReject(requestUrl(req).pathname));
    // CloudFront's request to the bucket as an S3 origin: objects by key only, no page fallback.
    if (isS3Host(req.headers.host ?? "")) return serveObject(res, path);
    if (path === "/config.json") {
      const base = files.get("/config.json");
      if (!base) return send(res, 404, "text/plain", "config.json is not part of the deployment", "no-store");
      const config = { ...JSON.parse(base.toString("utf8")), ...options.configOverlay?.() };
      return send(res, 200, CONTENT_TYPES[".json"]!, JSON.stringify(config), "no-store");
    }
    const served = path === "/" ? "/index.html" : path;
    const file = files.get(served);
    if (file) {
      const immutable = served.startsWith("/assets/");
      const type = CONTENT_TYPES[extname(served)] ?? "application/octet-stream";
      return send(res, 200, type, file, immutable ? "public, max-age=31536000, immutable" : "no-cache");
    }
    // Single-page app: unknown paths without an extension get the page, like Amplify's rewrite rule.
    const index = files.get("/index.html");
    if (!extname(path) && index) return send(res, 200, CONTENT_TYPES[".html"]!, index, "no-cache");
    send(res, 404, "text/plain; charset=utf-8", "Not found", "no-cache");
  };

  /**
   * GetObject as S3 answers a reader allowed s3:GetObject but not s3:ListBucket (CloudFront with origin access
   * control): a missing key, or the bucket root, is 403 AccessDenied, not 404.
   */
  const serveObject = (res: ServerResponse, key: string) => {
    const file = key === "/" ? undefined : files.get(key);
    if (file)
      return send(res, 200, CONTENT_TYPES[extname(key)] ?? "application/octet-stream", file, "no-cache");
    send(
      res,
      403,
      "application/xml",
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      "no-cache",
    );
  };

  return {
    handler,
    reload: (sources, rewrite) => {
      files = collectFiles(sources, rewrite);
    },
  };
}
