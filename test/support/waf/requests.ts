// Test helpers: a WafRequest builder with the defaults of a plain browser-like request.
import type { WafRequest } from "../../../localdev/src/edge/waf/types.js";

export function wafRequest(overrides: Partial<WafRequest> = {}): WafRequest {
  return {
    clientIp: "203.0.113.10",
    country: "US",
    method: "POST",
    uri: "/",
    queryString: "",
    headers: { "user-agent": "Mozilla/5.0", "content-type": "application/json" },
    body: Buffer.alloc(0),
    host: "d111111abcdef8.cloudfront.net",
    ...overrides,
  };
}
