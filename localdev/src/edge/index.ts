// Public API of the edge: the local CloudFront distribution and the AWS WAF web ACL engine.
export { DistributionConfigError } from "./cloudfront/behaviors.js";
export {
  type CloudFront,
  type CloudFrontOptions,
  createCloudFront,
  type EdgeRequestRecord,
  MAX_REQUEST_HEADER_BYTES,
  MAX_URL_BYTES,
} from "./cloudfront/cloudFront.js";
export { CLOUDFRONT_LISTEN_OPTIONS, listenCloudFront } from "./cloudfront/listenCloudFront.js";
export {
  MANAGED_ORIGIN_REQUEST_POLICIES,
  MANAGED_RESPONSE_HEADERS_POLICIES,
} from "./cloudfront/managedPolicies.js";
export { createWafEngine, type WafEngineOptions } from "./waf/engine.js";
export {
  WafConfigError,
  type WafDecision,
  type WafDecisionRecord,
  type WafEngine,
  type WafRequest,
  type WafResponse,
} from "./waf/types.js";
