// The edge's slice of the template: every CloudFront distribution (each on its own local port, the first
// keeps base+4) with its policies and origins, and the WAF web ACLs, IP sets and rule groups they use.
import type { GeoLookup } from "../geo/index.js";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/log.js";
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
        if (url) origins[origin.Id] = { awsHost: origin.DomainName, url, host: new URL(url).host };
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
