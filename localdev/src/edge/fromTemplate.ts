// The edge's slice of the template: every CloudFront distribution (each on its own local port, the first
// keeps base+4) with its policies and origins, and the WAF web ACLs, IP sets and rule groups they use.
import type { GeoLookup } from "../geo/index.js";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/log.js";
import { isS3Host } from "../shared/s3Host.js";
import type { ServiceSlice } from "../template/stackView.js";
import { type CloudFront, createCloudFront, type EdgeRequestRecord } from "./cloudfront/cloudFront.js";
import { createWafEngine } from "./waf/engine.js";
import type { WafEngine } from "./waf/types.js";

export interface LocalDistribution {
  logicalId: string;
  id: string;
  domainName: string;
  config: Record<string, unknown>;
  /** Origin id -> the AWS domain it names and the local URL standing in for it. */
  origins: Record<string, { awsHost: string; url: string; host: string }>;
  originRequestPolicies: Record<string, Record<string, unknown>>;
  responseHeadersPolicies: Record<string, Record<string, unknown>>;
  webAclArn?: string;
}

export interface EdgeSettings {
  distributions: LocalDistribution[];
  webAcls: { logicalId: string; arn: string; properties: Record<string, unknown> }[];
  ipSets: Record<string, string[]>;
  /** The stack's own rule groups by ARN (for RuleGroupReferenceStatement). */
  ruleGroups: Record<string, Record<string, unknown>>;
}

const DISTRIBUTION = "AWS::CloudFront::Distribution";

export const edgeSlice: ServiceSlice<EdgeSettings> = {
  name: "edge",
  types: [
    DISTRIBUTION,
    "AWS::CloudFront::OriginRequestPolicy",
    "AWS::CloudFront::ResponseHeadersPolicy",
    "AWS::CloudFront::CachePolicy",
    "AWS::WAFv2::WebACL",
    "AWS::WAFv2::IPSet",
    "AWS::WAFv2::RuleGroup",
  ],
  servers: (view) => ({ kind: "cloudfront", ids: view.resourcesOfType(DISTRIBUTION) }),
  endpoints(view, urlOf) {
    for (const id of view.resourcesOfType(DISTRIBUTION))
      view.endpoints.add(String(view.getAtt(id, "DomainName")), urlOf("cloudfront", id));
  },
  extract(view) {
    const policies = (type: string, key: string) =>
      Object.fromEntries(
        view
          .resourcesOfType(type)
          .map((id) => [view.ref(id), view.localProperties(id)[key] as Record<string, unknown>]),
      );
    const originRequestPolicies = policies(
      "AWS::CloudFront::OriginRequestPolicy",
      "OriginRequestPolicyConfig",
    );
    const responseHeadersPolicies = policies(
      "AWS::CloudFront::ResponseHeadersPolicy",
      "ResponseHeadersPolicyConfig",
    );
    const distributions = view.resourcesOfType(DISTRIBUTION).map((id): LocalDistribution => {
      const config = view.properties(id).DistributionConfig as Record<string, unknown>;
      const origins: LocalDistribution["origins"] = {};
      for (const origin of (config.Origins ?? []) as { Id: string; DomainName: string }[]) {
        const url = view.endpoints.localFor(origin.DomainName);
        // CloudFront sends an S3 origin its own host name (the bucket server answers it as S3 would); a custom
        // origin gets the local host the kit's server accepts.
        if (url)
          origins[origin.Id] = {
            awsHost: origin.DomainName,
            url,
            host: isS3Host(origin.DomainName) ? origin.DomainName : new URL(url).host,
          };
      }
      return {
        logicalId: id,
        id: view.record(id).id,
        domainName: String(view.getAtt(id, "DomainName")),
        config: view.endpoints.rewriteDeep(config),
        origins,
        originRequestPolicies,
        responseHeadersPolicies,
        webAclArn: typeof config.WebACLId === "string" ? config.WebACLId : undefined,
      };
    });
    const byArn = (type: string, map: (id: string) => unknown) =>
      Object.fromEntries(view.resourcesOfType(type).map((id) => [String(view.getAtt(id, "Arn")), map(id)]));
    return {
      distributions,
      webAcls: view.resourcesOfType("AWS::WAFv2::WebACL").map((id) => ({
        logicalId: id,
        arn: String(view.getAtt(id, "Arn")),
        properties: view.localProperties(id),
      })),
      ipSets: byArn("AWS::WAFv2::IPSet", (id) => (view.properties(id).Addresses as string[]) ?? []) as Record<
        string,
        string[]
      >,
      ruleGroups: byArn("AWS::WAFv2::RuleGroup", (id) => view.localProperties(id)) as Record<
        string,
        Record<string, unknown>
      >,
    };
  },
};

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

/** The web ACL engine of `distribution` (its WebACLId, else the stack's first) and the CloudFront shim. */
export function createEdge(
  settings: EdgeSettings,
  distribution: LocalDistribution | undefined,
  options: EdgeOptions,
): { waf?: WafEngine; cloudFront?: CloudFront } {
  const acl = settings.webAcls.find((a) => a.arn === distribution?.webAclArn) ?? settings.webAcls[0];
  const waf = acl
    ? createWafEngine({
        webAcl: acl.properties,
        ipSets: settings.ipSets,
        ruleGroups: settings.ruleGroups,
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

/** Only the origins the view maps to a local server: url and Host. */
export const localOrigins = (distribution: LocalDistribution) =>
  Object.fromEntries(
    Object.entries(distribution.origins).map(([id, o]) => [id, { url: o.url, host: o.host }]),
  );

/** Every distribution's local CloudFront, each with the engine of its web ACL. */
export interface Edges {
  served: { distribution: LocalDistribution; cloudFront: CloudFront }[];
  /** The first distribution's engine (or the stack's first web ACL's, without a distribution). */
  waf?: WafEngine;
  /** What the web ACLs and distributions use that the kit does not emulate, each line once. */
  notEmulated: { waf: string[]; cloudFront: string[] };
  close(): Promise<void>;
}

/**
 * Starts the edge of every distribution. `originsOf` says where a distribution's origin requests go (default:
 * the local servers the view mapped its origins to; in front of LocalStack, the relay).
 */
export function startEdges(
  settings: EdgeSettings,
  options: Omit<EdgeOptions, "origins"> & {
    originsOf?: (distribution: LocalDistribution) => EdgeOptions["origins"];
  },
): Edges {
  const originsOf = options.originsOf ?? localOrigins;
  const distributions = settings.distributions.length ? settings.distributions : [undefined];
  const served: Edges["served"] = [];
  const notEmulated = { waf: new Set<string>(), cloudFront: new Set<string>() };
  let firstWaf: WafEngine | undefined;
  distributions.forEach((distribution, i) => {
    const edge = createEdge(settings, distribution, {
      ...options,
      origins: distribution ? originsOf(distribution) : {},
    });
    if (i === 0) firstWaf = edge.waf;
    for (const line of edge.waf?.notEmulated ?? []) notEmulated.waf.add(line);
    if (!edge.cloudFront || !distribution) return;
    for (const line of edge.cloudFront.notEmulated) notEmulated.cloudFront.add(line);
    served.push({ distribution, cloudFront: edge.cloudFront });
  });
  return {
    served,
    waf: firstWaf,
    notEmulated: { waf: [...notEmulated.waf], cloudFront: [...notEmulated.cloudFront] },
    close: async () => {
      await Promise.all(served.map((s) => s.cloudFront.close()));
    },
  };
}
