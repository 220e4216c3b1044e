// The local distribution over real HTTP: header rewriting, CORS, WAF before the origin, viewer checks, errors.
import { type IncomingHttpHeaders, request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createStaticGeoLookup } from "../../geo/index.js";
import { type Listening, listen } from "../../shared/listen.js";
import { createWafEngine } from "../waf/engine.js";
import { type CloudFront, type CloudFrontOptions, createCloudFront } from "./cloudFront.js";
import { listenCloudFront } from "./listenCloudFront.js";

const SITE = "https://main.d1abc.amplifyapp.com";
const ORIGIN_HOST = "abc123.lambda-url.us-east-1.on.aws";
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
const CORS_CUSTOM_ORIGIN = "59781a5b-3903-41f3-afcb-af62929ccde1";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
let origin: Listening;
const started: Array<{ cf: CloudFront; edge: Listening }> = [];

beforeAll(async () => {
  origin = await listen(
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (req.url?.startsWith("/hang")) return; // never answers: the edge must time out
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (req.url?.startsWith("/own-cors"))
          headers["access-control-allow-origin"] = "https://other.example";
        res.writeHead(200, headers);
        res.end(JSON.stringify({ message: "ok" }));
      });
    },
    0,
    "test-origin",
  );
});

afterEach(async () => {
  seen.length = 0;
  while (started.length) {
    const { cf, edge } = started.pop()!;
    await edge.close();
    await cf.close();
  }
});

afterAll(async () => {
  await origin.close();
});

const distributionConfig = () => ({
  Enabled: true,
  Origins: [
    {
      Id: "fn",
      DomainName: ORIGIN_HOST,
      CustomOriginConfig: { OriginProtocolPolicy: "https-only", OriginReadTimeout: 30 },
      OriginCustomHeaders: [{ HeaderName: "x-origin-verify", HeaderValue: "origin-secret-value" }],
    },
  ],
  DefaultCacheBehavior: {
    TargetOriginId: "fn",
    AllowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
    CachePolicyId: CACHING_DISABLED,
    OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
    ResponseHeadersPolicyId: "cors-policy",
  },
  CacheBehaviors: [
    {
      PathPattern: "/readonly/*",
      TargetOriginId: "fn",
      AllowedMethods: ["GET", "HEAD"],
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: CORS_CUSTOM_ORIGIN,
    },
  ],
});

const corsPolicy = {
  ResponseHeadersPolicyConfig: {
    Name: "site-cors",
    CorsConfig: {
      AccessControlAllowCredentials: false,
      AccessControlAllowHeaders: { Items: ["content-type"] },
      AccessControlAllowMethods: { Items: ["GET", "POST", "OPTIONS"] },
      AccessControlAllowOrigins: { Items: [SITE] },
      AccessControlMaxAgeSec: 600,
      OriginOverride: true,
    },
  },
};

async function startEdge(overrides: Partial<CloudFrontOptions> = {}): Promise<string> {
  const cf = createCloudFront({
    distributionConfig: distributionConfig(),
    distributionDomain: "d111111abcdef8.cloudfront.net",
    origins: { fn: { url: origin.url, host: ORIGIN_HOST } },
    responseHeadersPolicies: { "cors-policy": corsPolicy },
    geo: createStaticGeoLookup({ "81.2.69.142": "GB" }),
    viewerCountry: "US",
    trustForwardedFor: false,
    ...overrides,
  });
  const edge = await listenCloudFront(cf.handler, 0);
  started.push({ cf, edge });
  return edge.url;
}

/** A raw request, for what fetch refuses to send (GET with a body, huge headers). */
function rawRequest(
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      {
        hostname: u.hostname,
        port: u.port,
        method: options.method,
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("createCloudFront: origin request", () => {
  it("rewrites Host, appends X-Forwarded-For, adds Via, X-Amz-Cf-Id, viewer country and the origin secret", async () => {
    const url = await startEdge();
    const response = await fetch(`${url}/api?x=1`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-forwarded-for": "198.51.100.1",
        "x-furl-viewer-country": "CA",
        "x-origin-verify": "forged-by-viewer",
        "cloudfront-viewer-country": "ZZ",
      },
      body: JSON.stringify({ code: "abc" }),
    });
    expect(response.status).toBe(200);
    const [got] = seen;
    expect(got?.url).toBe("/api?x=1");
    expect(got?.body).toBe('{"code":"abc"}');
    expect(got?.headers.host).toBe(ORIGIN_HOST);
    expect(got?.headers["x-forwarded-for"]).toBe("198.51.100.1, 127.0.0.1");
    expect(got?.headers.via).toMatch(/^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(got?.headers["x-amz-cf-id"]).toHaveLength(56);
    expect(got?.headers["cloudfront-viewer-country"]).toBe("CA");
    expect(got?.headers["cloudfront-viewer-address"]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(got?.headers["x-origin-verify"]).toBe("origin-secret-value");
    expect(got?.headers["x-furl-viewer-country"]).toBeUndefined();
    expect(got?.headers["user-agent"]).toBe("node");
    expect(response.headers.get("x-cache")).toBe("Miss from cloudfront");
    expect(response.headers.get("x-amz-cf-id")).toBe(got?.headers["x-amz-cf-id"]);
    expect(response.headers.get("via")).toBe(got?.headers.via);
    expect(response.headers.get("x-amz-cf-pop")).toBeTruthy();
  });

  it("forwards only what a narrow policy asks for (CORS-CustomOrigin: Origin, no query, no viewer country)", async () => {
    const url = await startEdge();
    await fetch(`${url}/readonly/page?secret=1`, { headers: { origin: SITE, "x-custom": "1" } });
    const [got] = seen;
    expect(got?.url).toBe("/readonly/page");
    expect(got?.headers.origin).toBe(SITE);
    expect(got?.headers["x-custom"]).toBeUndefined();
    expect(got?.headers["cloudfront-viewer-country"]).toBeUndefined();
    expect(got?.headers["user-agent"]).toBe("Amazon CloudFront");
    expect(got?.headers["x-origin-verify"]).toBe("origin-secret-value");
  });

  it("takes the viewer IP from X-Forwarded-For only when trustForwardedFor is on", async () => {
    const trusting = await startEdge({ trustForwardedFor: true });
    await fetch(`${trusting}/`, { headers: { "x-forwarded-for": "81.2.69.142" } });
    expect(seen[0]?.headers["cloudfront-viewer-country"]).toBe("GB");
    const strict = await startEdge({ trustForwardedFor: false });
    await fetch(`${strict}/`, { headers: { "x-forwarded-for": "81.2.69.142" } });
    expect(seen[1]?.headers["cloudfront-viewer-country"]).toBe("US");
    expect(seen[1]?.headers["x-forwarded-for"]).toBe("81.2.69.142, 127.0.0.1");
  });

  it("answers 400 for a malformed viewer-country override", async () => {
    const url = await startEdge();
    const response = await fetch(`${url}/`, { headers: { "x-furl-viewer-country": "USA" } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("two-letter ISO 3166 country code");
    expect(seen).toHaveLength(0);
  });
});

describe("createCloudFront: response headers policy", () => {
  it("grants a preflight from the allowed origin, with methods, headers and max-age", async () => {
    const url = await startEdge();
    const response = await fetch(`${url}/`, {
      method: "OPTIONS",
      headers: {
        origin: SITE,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(response.headers.get("access-control-max-age")).toBe("600");
    expect(seen[0]?.method).toBe("OPTIONS"); // CloudFront forwards preflights; it does not answer them
  });

  it("grants nothing to another origin", async () => {
    const url = await startEdge();
    const response = await fetch(`${url}/`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("replaces the origin's own CORS header when OriginOverride is true", async () => {
    const url = await startEdge();
    const response = await fetch(`${url}/own-cors`, { headers: { origin: SITE } });
    expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
  });
});

describe("createCloudFront: WAF", () => {
  const webAcl = {
    DefaultAction: { Allow: {} },
    CustomResponseBodies: {
      blocked: {
        ContentType: "APPLICATION_JSON",
        Content: '{"message":"Request blocked by AWS WAF: country","blocked":true}',
      },
    },
    Rules: [
      {
        Name: "GeoAllowList",
        Priority: 0,
        Statement: { NotStatement: { Statement: { GeoMatchStatement: { CountryCodes: ["US", "CA"] } } } },
        Action: {
          Block: {
            CustomResponse: {
              ResponseCode: 403,
              CustomResponseBodyKey: "blocked",
              ResponseHeaders: [{ Name: "Access-Control-Allow-Origin", Value: SITE }],
            },
          },
        },
        VisibilityConfig: {},
      },
      {
        Name: "BlockAdmin",
        Priority: 1,
        Statement: {
          ByteMatchStatement: {
            FieldToMatch: { UriPath: {} },
            PositionalConstraint: "STARTS_WITH",
            SearchString: "/admin",
            TextTransformations: [],
          },
        },
        Action: { Block: {} },
        VisibilityConfig: {},
      },
    ],
  };

  it("blocks before the origin with the custom response, readable by the site", async () => {
    const geo = createStaticGeoLookup({});
    const url = await startEdge({ waf: createWafEngine({ webAcl, geo }), geo });
    const response = await fetch(`${url}/`, {
      method: "POST",
      headers: { "x-furl-viewer-country": "FR" },
      body: "{}",
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: "Request blocked by AWS WAF: country", blocked: true });
    expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-cache")).toBe("Error from cloudfront");
    expect(seen).toHaveLength(0);
  });

  it("answers a plain Block with CloudFront's 403 page and lets other requests through", async () => {
    const geo = createStaticGeoLookup({});
    const url = await startEdge({ waf: createWafEngine({ webAcl, geo }), geo });
    const blocked = await fetch(`${url}/admin`);
    expect(blocked.status).toBe(403);
    expect(await blocked.text()).toContain("Generated by cloudfront (CloudFront)");
    expect(seen).toHaveLength(0);
    expect((await fetch(`${url}/ok`)).status).toBe(200);
    expect(seen).toHaveLength(1);
  });
});

describe("createCloudFront: viewer checks and origin failures", () => {
  it("refuses a GET with a body with 403", async () => {
    const url = await startEdge();
    const response = await rawRequest(url, {
      method: "GET",
      path: "/",
      headers: { "content-length": "2" },
      body: "{}",
    });
    expect(response.status).toBe(403);
    expect(seen).toHaveLength(0);
  });

  it("refuses a URL over 8,192 bytes and headers over 20,480 bytes with 413", async () => {
    const url = await startEdge();
    expect((await rawRequest(url, { method: "GET", path: `/${"a".repeat(8200)}` })).status).toBe(413);
    const big = await rawRequest(url, { method: "GET", path: "/", headers: { "x-big": "b".repeat(21_000) } });
    expect(big.status).toBe(413);
    expect(seen).toHaveLength(0);
  });

  it("refuses methods the behaviour does not allow with 403", async () => {
    const url = await startEdge();
    const response = await fetch(`${url}/readonly/x`, { method: "POST", body: "{}" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("not configured to allow the HTTP request method");
    expect(seen).toHaveLength(0);
  });

  it("answers CloudFront's 502 page when the origin refuses connections", async () => {
    const closed = await listen((_req, res) => res.end(), 0, "closed-origin");
    await closed.close();
    const url = await startEdge({ origins: { fn: { url: closed.url, host: ORIGIN_HOST } } });
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(502);
    expect(response.headers.get("x-cache")).toBe("Error from cloudfront");
    expect(response.headers.get("server")).toBe("CloudFront");
    const body = await response.text();
    expect(body).toContain("ERROR: The request could not be satisfied");
    expect(body).toContain("Generated by cloudfront (CloudFront)");
  });

  it("answers 504 when the origin does not respond within the origin timeout", async () => {
    const url = await startEdge({ originTimeoutMs: 150 });
    const response = await fetch(`${url}/hang`);
    expect(response.status).toBe(504);
    expect(response.headers.get("via")).toMatch(/cloudfront\.net \(CloudFront\)$/);
    expect(await response.text()).toContain("504 ERROR");
  });
});

describe("createCloudFront: behaviours routing to different origins", () => {
  const API_HOST = "def456.lambda-url.us-east-1.on.aws";
  const BUCKET_HOST = "site-bucket.s3.us-east-1.amazonaws.com";

  /** A second origin that names itself, so the test sees which origin answered. */
  async function namedOrigin(name: string): Promise<Listening & { seen: Seen[] }> {
    const got: Seen[] = [];
    const server = await listen(
      (req, res) => {
        got.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: "" });
        req.resume();
        req.on("end", () => {
          res.writeHead(200, { "content-type": "text/plain", "x-origin-name": name });
          res.end(name);
        });
      },
      0,
      `origin-${name}`,
    );
    return Object.assign(server, { seen: got });
  }

  it("sends each path to the first behaviour whose pattern matches, with that origin's Host and path", async () => {
    const api = await namedOrigin("api");
    const admin = await namedOrigin("admin");
    const bucket = await namedOrigin("bucket");
    try {
      const config = {
        Enabled: true,
        Origins: [
          { Id: "bucket", DomainName: BUCKET_HOST, S3OriginConfig: { OriginAccessIdentity: "" } },
          { Id: "api", DomainName: API_HOST, CustomOriginConfig: { OriginProtocolPolicy: "https-only" } },
          {
            Id: "admin",
            DomainName: API_HOST,
            OriginPath: "/internal",
            CustomOriginConfig: { OriginProtocolPolicy: "https-only" },
            OriginCustomHeaders: [{ HeaderName: "x-admin-origin", HeaderValue: "yes" }],
          },
        ],
        // More specific first: CloudFront takes the first match in list order.
        CacheBehaviors: [
          {
            PathPattern: "/api/admin/*",
            TargetOriginId: "admin",
            AllowedMethods: ["GET", "HEAD"],
            CachePolicyId: CACHING_DISABLED,
            OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
          },
          {
            PathPattern: "/api/*",
            TargetOriginId: "api",
            AllowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
            CachePolicyId: CACHING_DISABLED,
            OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
          },
        ],
        DefaultCacheBehavior: { TargetOriginId: "bucket", CachePolicyId: CACHING_DISABLED },
      };
      const url = await startEdge({
        distributionConfig: config,
        origins: {
          bucket: { url: bucket.url, host: BUCKET_HOST },
          api: { url: api.url, host: API_HOST },
          admin: { url: admin.url, host: API_HOST },
        },
      });
      const answer = async (path: string, init?: RequestInit) => {
        const response = await fetch(`${url}${path}`, init);
        return [response.status, await response.text()];
      };
      expect(await answer("/api/hello?x=1", { method: "POST", body: "{}" })).toEqual([200, "api"]);
      expect(await answer("/api/admin/users")).toEqual([200, "admin"]);
      expect(await answer("/index.html")).toEqual([200, "bucket"]);
      // `/api/*` needs the slash: `/apix` and `/api` itself fall to the default behaviour.
      expect(await answer("/apix")).toEqual([200, "bucket"]);
      expect(await answer("/api")).toEqual([200, "bucket"]);
      // Each behaviour keeps its own allowed methods: the default (GET, HEAD) refuses a POST.
      expect((await answer("/index.html", { method: "POST", body: "{}" }))[0]).toBe(403);
      expect((await answer("/api/admin/users", { method: "DELETE" }))[0]).toBe(403);

      expect(api.seen.map((r) => [r.method, r.url, r.headers.host])).toEqual([
        ["POST", "/api/hello?x=1", API_HOST],
      ]);
      expect(admin.seen.map((r) => [r.url, r.headers["x-admin-origin"]])).toEqual([
        ["/internal/api/admin/users", "yes"],
      ]);
      expect(bucket.seen.map((r) => [r.url, r.headers.host])).toEqual([
        ["/index.html", BUCKET_HOST],
        ["/apix", BUCKET_HOST],
        ["/api", BUCKET_HOST],
      ]);
      // The default behaviour has no origin request policy: the viewer's User-Agent is replaced.
      expect(bucket.seen[0]?.headers["user-agent"]).toBe("Amazon CloudFront");
      expect(api.seen[0]?.headers["user-agent"]).toBe("node");
    } finally {
      await Promise.all([api.close(), admin.close(), bucket.close()]);
    }
  });

  it("refuses at start-up a behaviour whose origin has no local endpoint", () => {
    const config = {
      ...distributionConfig(),
      CacheBehaviors: [{ PathPattern: "/api/*", TargetOriginId: "missing", CachePolicyId: CACHING_DISABLED }],
    };
    expect(() =>
      createCloudFront({
        distributionConfig: config,
        distributionDomain: "d111111abcdef8.cloudfront.net",
        origins: { fn: { url: origin.url, host: ORIGIN_HOST } },
        responseHeadersPolicies: { "cors-policy": corsPolicy },
        geo: createStaticGeoLookup({}),
        viewerCountry: "US",
        trustForwardedFor: false,
      }),
    ).toThrow(/Behavior "\/api\/\*": origin "missing" has no local endpoint/);
  });
});
