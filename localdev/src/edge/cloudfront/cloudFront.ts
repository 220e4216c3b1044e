// The local CloudFront distribution: viewer checks, WAF, origin request, response headers, edge errors.

import {
  Agent,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type RequestListener,
  request,
  type ServerResponse,
} from "node:http";
import {
  type GeoLookup,
  InvalidCountryOverrideError,
  normalizeIp,
  parseIp,
  resolveViewerCountry,
  VIEWER_COUNTRY_OVERRIDE_HEADER,
} from "../../geo/index.js";
import type { Clock } from "../../shared/clock.js";
import { withoutHopByHop } from "../../shared/hopByHop.js";
import { type Logger, silentLogger } from "../../shared/log.js";
import { pooledRandomBytes } from "../../shared/randomPool.js";
import { readBody } from "../../shared/readBody.js";
import type { WafDecision, WafEngine } from "../waf/types.js";
import { type CompiledBehavior, compileBehaviors } from "./behaviors.js";
import { cloudFrontErrorPage } from "./errorPages.js";
import { buildOriginHeaders } from "./originHeaders.js";
import type { ResponseHeaders } from "./responseHeadersPolicy.js";

export interface CloudFrontOptions {
  /** Resolved `DistributionConfig` of the AWS::CloudFront::Distribution (CloudFormation shape). */
  distributionConfig: Record<string, unknown>;
  /** The domain the local host:port stands for, e.g. d1234abcd.cloudfront.net (the Host the WAF sees). */
  distributionDomain: string;
  /** Local endpoint of each origin Id: `url` to connect to, `host` to send as Host. */
  origins: Record<string, { url: string; host: string }>;
  /** Custom AWS::CloudFront::OriginRequestPolicy configs by policy ID (resolved). */
  originRequestPolicies?: Record<string, Record<string, unknown>>;
  /** Custom AWS::CloudFront::ResponseHeadersPolicy configs by policy ID (resolved). */
  responseHeadersPolicies?: Record<string, Record<string, unknown>>;
  waf?: WafEngine;
  geo: GeoLookup;
  /** Simulated viewer country for IPs without one (loopback, private), e.g. "US". */
  viewerCountry: string;
  /** Take the viewer IP from the first X-Forwarded-For element (development only). */
  trustForwardedFor: boolean;
  clock?: Clock;
  log?: Logger;
  /** Origin response timeout for every origin; default: the origin's OriginReadTimeout, else 30 s. */
  originTimeoutMs?: number;
  /** Largest request body the kit buffers (default 10 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Told about every viewer request once its answer is complete (the kit's console keeps the recent ones). */
  onRequest?: (record: EdgeRequestRecord) => void;
}

/** One viewer request as the distribution handled it: what CloudFront's standard log and WAF's sample show. */
export interface EdgeRequestRecord {
  /** The x-amz-cf-id of the request. */
  requestId: string;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  /** The path, without the query string. */
  path: string;
  viewerIp: string;
  country?: string;
  /** The web ACL's decision; absent without a web ACL or when the edge refused the request before it. */
  waf?: Pick<
    WafDecision,
    "action" | "terminatingRule" | "terminatingRuleGroupRule" | "labels" | "countedRules"
  >;
  /** The status the viewer got. */
  status: number;
  /** The origin's status, when the request reached it. */
  originStatus?: number;
  /** Which origin served it. */
  originId?: string;
  /** The Function URL's x-amzn-RequestId: the invocation that answered, when the origin is a Function URL. */
  originRequestId?: string;
  /** What the edge itself answered with and why (WAF block, 413, 502/504 origin failures). */
  edgeResult?: string;
  /** Arrival to the last byte sent, and arrival to the origin's response head. */
  durationMs: number;
  originLatencyMs?: number;
}

/** What one request's handling learns as it goes, for {@link EdgeRequestRecord}. */
interface Trace {
  started: number;
  path?: string;
  country?: string;
  viewerIp?: string;
  waf?: EdgeRequestRecord["waf"];
  originStatus?: number;
  originId?: string;
  originRequestId?: string;
  originLatencyMs?: number;
  edgeResult?: string;
}

export interface CloudFront {
  handler: RequestListener;
  close(): Promise<void>;
  /** Human-readable lines naming distribution settings the kit does not emulate. */
  notEmulated: string[];
}

/** CloudFront's documented limits for the request line plus headers, and for the URL. */
export const MAX_REQUEST_HEADER_BYTES = 20_480;
export const MAX_URL_BYTES = 8192;
const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
const POP = "IAD89-C1";

class EdgeRejection extends Error {
  constructor(
    readonly status: number,
    readonly detail?: string,
  ) {
    super(detail ?? `CloudFront ${status}`);
  }
}

function newRequestId(): string {
  // Same shape as real ids: 56 characters of URL-safe base64 ending in "==".
  return pooledRandomBytes(40).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

function requestHeaderBytes(req: IncomingMessage): number {
  let bytes = (req.method?.length ?? 0) + (req.url?.length ?? 0) + 12;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) bytes += raw[i]!.length + raw[i + 1]!.length + 4;
  return bytes;
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function firstForwardedIp(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(",")[0]?.trim();
  return first && parseIp(first) ? normalizeIp(first) : undefined;
}

/**
 * Creates the distribution's request handler. Invalid distribution settings throw at creation
 * (DistributionConfigError); unsupported ones are listed in `notEmulated`.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorCustomOrigin.html
 */
export function createCloudFront(options: CloudFrontOptions): CloudFront {
  const log = options.log ?? silentLogger;
  const notEmulated: string[] = [];
  const behaviors: CompiledBehavior[] = compileBehaviors({
    distributionConfig: options.distributionConfig,
    origins: options.origins,
    originRequestPolicies: options.originRequestPolicies ?? {},
    responseHeadersPolicies: options.responseHeadersPolicies ?? {},
    originTimeoutMs: options.originTimeoutMs,
    notEmulated: (line) => {
      if (!notEmulated.includes(line)) notEmulated.push(line);
    },
  });
  for (const line of notEmulated) log.warn(`CloudFront: ${line}`);
  const rootObject = options.distributionConfig.DefaultRootObject;
  const defaultRootObject = typeof rootObject === "string" ? rootObject.replace(/^\/+/, "") : "";
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  const via = `1.1 ${pooledRandomBytes(16).toString("hex")}.cloudfront.net (CloudFront)`;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;

  const edgeHeaders = (requestId: string, cache: string): Record<string, string> => ({
    via,
    "x-cache": cache,
    "x-amz-cf-pop": POP,
    "x-amz-cf-id": requestId,
  });

  const sendGenerated = (
    res: ServerResponse,
    requestId: string,
    status: number,
    body: string,
    contentType: string,
    extra: Record<string, string> = {},
  ) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, {
      ...extra,
      server: "CloudFront",
      "content-type": contentType,
      "content-length": Buffer.byteLength(body),
      ...edgeHeaders(requestId, "Error from cloudfront"),
    });
    res.end(body);
  };
  const sendErrorPage = (res: ServerResponse, requestId: string, status: number, detail?: string) =>
    sendGenerated(res, requestId, status, cloudFrontErrorPage(status, requestId, detail), "text/html");

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    behavior: CompiledBehavior,
    path: string,
    query: string,
    body: Buffer,
    headers: OutgoingHttpHeaders,
    requestId: string,
    trace: Trace | undefined,
  ): Promise<void> {
    const origin = behavior.origin;
    const forwardedQuery = behavior.originRequestPolicy.queryString(query);
    return new Promise((resolve) => {
      let timedOut = false;
      const originReq = request({
        protocol: origin.url.protocol,
        hostname: origin.url.hostname,
        port: origin.url.port,
        method: req.method,
        path: `${origin.originPath}${path}${forwardedQuery ? `?${forwardedQuery}` : ""}`,
        headers,
        agent,
        setHost: false,
      });
      originReq.setTimeout(origin.readTimeoutMs, () => {
        timedOut = true;
        originReq.destroy();
      });
      res.on("close", () => {
        if (!res.writableFinished) originReq.destroy();
      });
      originReq.on("response", (originRes) => {
        if (trace) {
          trace.originStatus = originRes.statusCode;
          trace.originId = behavior.origin.id;
          trace.originLatencyMs = performance.now() - trace.started;
          const lambdaId = originRes.headers["x-amzn-requestid"];
          if (typeof lambdaId === "string") trace.originRequestId = lambdaId;
        }
        const out: ResponseHeaders = { ...originRes.headers };
        withoutHopByHop(out);
        Object.assign(out, edgeHeaders(requestId, "Miss from cloudfront"));
        const origin = req.headers.origin;
        behavior.responseHeadersPolicy?.(
          {
            method: req.method ?? "GET",
            origin,
            isPreflight:
              req.method === "OPTIONS" &&
              origin !== undefined &&
              req.headers["access-control-request-method"] !== undefined,
          },
          out,
        );
        res.writeHead(originRes.statusCode ?? 502, out as OutgoingHttpHeaders);
        originRes.pipe(res);
        originRes.on("end", resolve);
        originRes.on("error", () => {
          res.destroy();
          resolve();
        });
      });
      originReq.on("error", (error) => {
        if (timedOut) {
          log.warn("CloudFront: origin response timeout", {
            origin: origin.id,
            timeoutMs: origin.readTimeoutMs,
          });
          if (trace) trace.edgeResult = "origin response timeout";
          sendErrorPage(res, requestId, 504);
        } else {
          log.warn("CloudFront: origin connection failed", {
            origin: origin.id,
            error: (error as NodeJS.ErrnoException).code ?? error.message,
          });
          if (trace) trace.edgeResult = "origin connection failed";
          sendErrorPage(res, requestId, 502);
        }
        resolve();
      });
      originReq.end(body.length ? body : undefined);
    });
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    trace: Trace | undefined,
  ): Promise<void> {
    const url = req.url ?? "/";
    if (Buffer.byteLength(url) > MAX_URL_BYTES) throw new EdgeRejection(413);
    if (requestHeaderBytes(req) > MAX_REQUEST_HEADER_BYTES) throw new EdgeRejection(413);
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? "" : url.slice(q + 1);
    if (trace) trace.path = path;
    if (!path.startsWith("/")) throw new EdgeRejection(400);
    const behavior = behaviors.find((b) => b.matches(path))!;
    const method = req.method ?? "GET";
    if (!behavior.allowedMethods.has(method)) {
      throw new EdgeRejection(
        403,
        "This distribution is not configured to allow the HTTP request method that was used for this request. The distribution supports only cachable requests.",
      );
    }
    const contentLength = req.headers["content-length"];
    const hasBody =
      (contentLength !== undefined && contentLength !== "0") ||
      req.headers["transfer-encoding"] !== undefined;
    if (hasBody && (method === "GET" || method === "HEAD"))
      throw new EdgeRejection(403, "Bad request. A GET or HEAD request cannot carry a body.");
    const peerIp = normalizeIp(req.socket.remoteAddress ?? "");
    const viewerIp =
      (options.trustForwardedFor && firstForwardedIp(req.headers["x-forwarded-for"])) || peerIp;
    let country: string;
    try {
      country = resolveViewerCountry(
        req.headers[VIEWER_COUNTRY_OVERRIDE_HEADER],
        viewerIp,
        options.geo,
        options.viewerCountry,
      );
    } catch (error) {
      if (error instanceof InvalidCountryOverrideError) throw new EdgeRejection(400, error.message);
      throw error;
    }
    if (trace) {
      trace.viewerIp = viewerIp;
      trace.country = country;
    }
    // An oversized body is read on and dropped; the 413 then closes the connection.
    const body = hasBody ? await readBody(req, { limit: maxBody, overflow: "discard" }) : Buffer.alloc(0);
    if (body === "too-large") {
      throw new EdgeRejection(
        413,
        `Bad request. The request body is larger than the kit's limit of ${maxBody} bytes.`,
      );
    }

    let wafHeaders: Record<string, string> | undefined;
    if (options.waf) {
      let headers = req.headers;
      if (headers[VIEWER_COUNTRY_OVERRIDE_HEADER] !== undefined) {
        headers = { ...headers };
        delete headers[VIEWER_COUNTRY_OVERRIDE_HEADER];
      }
      const decision = options.waf.evaluate({
        clientIp: viewerIp,
        country,
        method,
        uri: path,
        queryString: query,
        headers,
        body,
        // The WAF sees the distribution's domain as Host, as on AWS (the local host:port stands for it).
        host: options.distributionDomain,
      });
      if (trace) {
        const { action, terminatingRule, terminatingRuleGroupRule, labels, countedRules } = decision;
        trace.waf = { action, terminatingRule, terminatingRuleGroupRule, labels, countedRules };
      }
      if (decision.action === "BLOCK") {
        if (trace) trace.edgeResult = "blocked by the web ACL";
        const response = decision.response ?? { status: 403, headers: {} };
        if (response.body === undefined) sendErrorPage(res, requestId, response.status);
        else
          sendGenerated(
            res,
            requestId,
            response.status,
            response.body,
            response.contentType ?? "text/plain",
            response.headers,
          );
        return;
      }
      wafHeaders = decision.requestHeaders;
    }

    const originHeaders = buildOriginHeaders({
      viewerHeaders: req.headers,
      policy: behavior.originRequestPolicy,
      originHost: behavior.origin.host,
      peerIp,
      viewerIp,
      viewerPort: req.socket.remotePort ?? 0,
      country,
      via,
      requestId,
      protocol: "encrypted" in req.socket ? "https" : "http",
      customHeaders: behavior.origin.customHeaders,
      wafHeaders,
      bodyLength: body.length,
    });
    // DefaultRootObject applies to the root only ("/"), not to subfolders, as on CloudFront.
    const originPath = path === "/" && defaultRootObject ? `/${defaultRootObject}` : path;
    await forward(req, res, behavior, originPath, query, body, originHeaders, requestId, trace);
  }

  const onRequest = options.onRequest;
  /** Reports the request once the viewer has its answer (or went away). */
  function traced(req: IncomingMessage, res: ServerResponse, requestId: string): Trace | undefined {
    if (!onRequest) return undefined;
    const trace: Trace = { started: performance.now() };
    const arrived = options.clock?.now() ?? Date.now();
    res.once("close", () => {
      const url = req.url ?? "/";
      onRequest({
        requestId,
        time: new Date(arrived).toISOString(),
        method: req.method ?? "GET",
        path: trace.path ?? url.split("?")[0]!,
        viewerIp: trace.viewerIp ?? normalizeIp(req.socket.remoteAddress ?? ""),
        ...(trace.country ? { country: trace.country } : {}),
        ...(trace.waf ? { waf: trace.waf } : {}),
        status: res.writableFinished ? res.statusCode : 0,
        ...(trace.originStatus !== undefined ? { originStatus: trace.originStatus } : {}),
        ...(trace.originId ? { originId: trace.originId } : {}),
        ...(trace.originRequestId ? { originRequestId: trace.originRequestId } : {}),
        ...(trace.edgeResult
          ? { edgeResult: trace.edgeResult }
          : res.writableFinished
            ? {}
            : { edgeResult: "the viewer went away" }),
        durationMs: round2(performance.now() - trace.started),
        ...(trace.originLatencyMs !== undefined ? { originLatencyMs: round2(trace.originLatencyMs) } : {}),
      });
    });
    return trace;
  }

  return {
    notEmulated,
    handler(req, res) {
      const requestId = newRequestId();
      const trace = traced(req, res, requestId);
      handle(req, res, requestId, trace).catch((error: unknown) => {
        if (error instanceof EdgeRejection) {
          if (trace) trace.edgeResult = error.detail ?? `refused by the edge (${error.status})`;
          if (error.status === 413) res.setHeader("connection", "close");
          sendErrorPage(res, requestId, error.status, error.detail);
          return;
        }
        if (req.destroyed || res.destroyed) return; // the viewer went away mid-request: nothing to answer
        log.error("CloudFront: request failed inside the kit", { error: (error as Error).message });
        if (trace) trace.edgeResult = "the kit failed";
        sendErrorPage(res, requestId, 502);
      });
    },
    close: async () => {
      agent.destroy();
    },
  };
}
