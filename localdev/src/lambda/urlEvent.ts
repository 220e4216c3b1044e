// Turns an HTTP request into the payload format 2.0 event a Function URL hands to the function.

import type { IncomingMessage } from "node:http";
import { pooledRandomBytes } from "../shared/randomPool.js";

export interface FunctionUrlEvent {
  version: "2.0";
  routeKey: "$default";
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: "$default";
    stage: "$default";
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// Verified for HTTP API v2 (same payload format): only these travel as text, everything else as base64.
const TEXT_TYPES = new Set(["application/json", "application/xml", "application/javascript"]);

export function buildFunctionUrlEvent(
  req: IncomingMessage,
  body: Buffer,
  context: { urlId: string; region: string; requestId: string; now: number },
): FunctionUrlEvent {
  const target = req.url ?? "/";
  const queryAt = target.indexOf("?");
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? "" : target.slice(queryAt + 1);
  const sourceIp = peerAddress(req);
  const headers = joinedHeaders(req, sourceIp, context.now);
  const cookies = cookiesOf(req);
  const query = queryParameters(rawQueryString);
  const text = isTextContent(headers["content-type"]);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "anonymous",
      apiId: context.urlId,
      domainName: `${context.urlId}.lambda-url.${context.region}.on.aws`,
      domainPrefix: context.urlId,
      http: {
        method: req.method ?? "GET",
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: context.requestId,
      routeKey: "$default",
      stage: "$default",
      time: lambdaTime(context.now),
      timeEpoch: context.now,
    },
    ...(body.length ? { body: text ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

/** `dd/MMM/yyyy:HH:mm:ss +0000`, e.g. `11/Jan/2023:11:45:34 +0000`. */
export function lambdaTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

function isTextContent(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type.startsWith("text/") || TEXT_TYPES.has(type);
}

function peerAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
}

// Lowercased names, repeated headers joined with ","; plus the headers Lambda's front end adds.
function joinedHeaders(req: IncomingMessage, sourceIp: string, now: number): Record<string, string> {
  // A Map, so header names like "constructor" or "__proto__" stay plain keys.
  const headers = new Map<string, string>();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const earlier = headers.get(name);
    headers.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  const forwarded = headers.get("x-forwarded-for");
  headers.set("x-forwarded-for", forwarded ? `${forwarded}, ${sourceIp}` : sourceIp);
  // The real URL is HTTPS on 443; the local one is plain HTTP on its own port, and says so.
  headers.set("x-forwarded-proto", "encrypted" in req.socket ? "https" : "http");
  headers.set("x-forwarded-port", String(req.socket.localPort ?? ""));
  if (!headers.has("x-amzn-trace-id")) headers.set("x-amzn-trace-id", traceId(now));
  return toRecord(headers);
}

// Object.fromEntries defines own data properties (even "__proto__"), without defineProperty's slow path.
function toRecord(map: Map<string, string>): Record<string, string> {
  return Object.fromEntries(map);
}

function traceId(now: number): string {
  const seconds = Math.floor(now / 1000).toString(16);
  return `Root=1-${seconds}-${pooledRandomBytes(12).toString("hex")}`;
}

function cookiesOf(req: IncomingMessage): string[] {
  const cookies: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== "cookie") continue;
    for (const part of raw[i + 1]!.split(";")) {
      const cookie = part.trim();
      if (cookie) cookies.push(cookie);
    }
  }
  return cookies;
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    const earlier = params.get(key);
    params.set(key, earlier === undefined ? value : `${earlier},${value}`);
  }
  return params.size ? toRecord(params) : undefined;
}
