// Builders shared by the composition roots (`startKit` and the LocalStack front): one way to turn a local
// deployment into the Cognito pools and the edge.
import { type CognitoUserPoolConfig, userPoolConfigFromTemplate } from "./cognito/index.js";
import {
  type CloudFront,
  createCloudFront,
  createWafEngine,
  type EdgeRequestRecord,
  type WafEngine,
} from "./edge/index.js";
import type { GeoLookup } from "./geo/index.js";
import type { Clock } from "./shared/clock.js";
import type { Logger } from "./shared/log.js";
import type { LocalDeployment } from "./template/deployment.js";

/** The deployment's user pools as the Cognito emulator takes them. */
export function cognitoPools(d: LocalDeployment): CognitoUserPoolConfig[] {
  return d.userPools.map((pool) =>
    userPoolConfigFromTemplate({
      id: pool.id,
      region: d.region,
      properties: pool.properties,
      domainPrefix: pool.domainPrefix,
      clients: pool.clients,
    }),
  );
}

export interface EdgeOptions {
  /** Origin id -> where to send origin requests and which Host to send. */
  origins: Record<string, { url: string; host: string }>;
  geo: GeoLookup;
  viewerCountry: string;
  trustForwardedFor: boolean;
  clock?: Clock;
  log: Logger;
  /** Every viewer request through the distribution, once answered (the console's history). */
  onRequest?: (record: EdgeRequestRecord) => void;
}

/** The distribution's web ACL engine and the CloudFront shim in front of `origins` (none without a distribution). */
export function createEdge(
  d: LocalDeployment,
  options: EdgeOptions,
): { waf?: WafEngine; cloudFront?: CloudFront } {
  const distribution = d.distribution;
  const acl = d.webAcls.find((a) => a.arn === distribution?.webAclArn) ?? d.webAcls[0];
  const waf = acl
    ? createWafEngine({
        webAcl: acl.properties,
        ipSets: d.ipSets,
        clock: options.clock,
        log: options.log.child("waf"),
        geo: options.geo,
      })
    : undefined;
  if (!distribution) return { waf };
  const cloudFront = createCloudFront({
    distributionConfig: distribution.config,
    distributionDomain: distribution.domainName,
    origins: options.origins,
    originRequestPolicies: distribution.originRequestPolicies,
    responseHeadersPolicies: distribution.responseHeadersPolicies,
    waf,
    geo: options.geo,
    viewerCountry: options.viewerCountry,
    trustForwardedFor: options.trustForwardedFor,
    clock: options.clock,
    log: options.log.child("cloudfront"),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
  return { waf, cloudFront };
}
