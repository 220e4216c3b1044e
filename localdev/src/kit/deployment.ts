// The local deployment: every service's slice of the stack view, side by side. Adding a resource type touches
// the slice of the service that serves it; this file only lists the slices.

import { isCustomResourceType } from "../cloudformation/customResources.js";
import { lambdaConfigKeysNotRun } from "../cognito/config.js";
import { cognitoSlice, type LocalUserPool } from "../cognito/fromTemplate.js";
import { type EdgeSettings, edgeSlice, type LocalDistribution } from "../edge/fromTemplate.js";
import {
  functionUrlSlice,
  type LocalFunction,
  type LocalStackFunction,
  stackFunctionsOf,
} from "../lambda/fromTemplate.js";
import type { LocalAmplifyApp } from "../site/amplifyApi.js";
import { amplifyAppsOf, type LocalBucket, type LocalSiteSource, siteSlice } from "../site/fromTemplate.js";
import { type LocalParameter, ssmSlice } from "../ssm/fromTemplate.js";
import type { EndpointMap } from "../template/endpoints.js";
import type { ServerKind, ServiceSlice, StackView } from "../template/stackView.js";

export type {
  LocalBucket,
  LocalDistribution,
  LocalFunction,
  LocalParameter,
  LocalSiteSource,
  LocalStackFunction,
  LocalUserPool,
};

/** Every service's slice, in the order their settings are read. */
export const SLICES = [cognitoSlice, ssmSlice, functionUrlSlice, edgeSlice, siteSlice] as const;

/** Types no service serves, and why that does not matter locally. */
const KIT_NOTES: Record<string, string> = {
  "AWS::IAM::Role": "IAM is not enforced locally",
  "AWS::IAM::Policy": "IAM is not enforced locally",
  "AWS::CDK::Metadata": "CDK bookkeeping",
};

/** Resource types the kit serves (or folds into what it serves). */
export const SERVED_TYPES = new Set<string>(SLICES.flatMap((s: ServiceSlice<unknown>) => s.types));
const NOTES: Record<string, string> = Object.assign(
  {},
  KIT_NOTES,
  ...SLICES.map((s: ServiceSlice<unknown>) => s.notes ?? {}),
);

/** Why the kit leaves a resource of `type` out (for a type it does not serve). */
export function notEmulatedNote(type: string): string {
  return NOTES[type] ?? "not emulated";
}

export interface LocalDeployment extends EdgeSettings {
  stackName: string;
  region: string;
  accountId: string;
  userPools: LocalUserPool[];
  parameters: LocalParameter[];
  /** Secrets by ARN, for dynamic references and `/aws/reference/secretsmanager/*`. */
  secrets: Record<string, string>;
  functions: LocalFunction[];
  /** Every function of the stack the kit can run (URL targets too): triggers, providers, Invoke API targets. */
  stackFunctions: LocalStackFunction[];
  /** The first distribution (today's single-distribution shape). */
  distribution?: LocalDistribution;
  buckets: LocalBucket[];
  /** Amplify Hosting apps: the Amplify API answers for them; their production branch is the site port. */
  amplifyApps: LocalAmplifyApp[];
  /** What the first bucket holds: the site port serves it. */
  siteSources: LocalSiteSource[];
  outputs: Record<string, string>;
  /** Human-readable lines: what the template has that the kit does not emulate, resource type by type. */
  notEmulated: string[];
  endpoints: EndpointMap;
}

/** The servers each slice asks for: kind -> logical ids, the first of each keeping the kind's fixed port. */
export function serversOf(view: StackView): Record<ServerKind, string[]> {
  const out: Record<ServerKind, string[]> = {
    functionUrl: [],
    cloudfront: [],
    site: [],
    cognito: [],
    ssm: [],
  };
  for (const slice of SLICES as readonly ServiceSlice<unknown>[]) {
    const wanted = slice.servers?.(view);
    if (wanted) out[wanted.kind].push(...wanted.ids);
  }
  return out;
}

/** Runs every slice over `view`: endpoints first (so values can be rewritten), then settings. */
export function localDeployment(
  view: StackView,
  urlOf: (kind: ServerKind, logicalId?: string) => string,
): LocalDeployment {
  for (const slice of SLICES as readonly ServiceSlice<unknown>[]) slice.endpoints?.(view, urlOf);
  const userPools = cognitoSlice.extract(view);
  const { parameters, secrets } = ssmSlice.extract(view);
  const functions = functionUrlSlice.extract(view);
  const stackFunctions = stackFunctionsOf(view);
  const edge = edgeSlice.extract(view);
  const buckets = siteSlice.extract(view);
  const amplifyApps = amplifyAppsOf(view);
  const outputs = view.outputs();
  view.save();
  return {
    stackName: view.stackName,
    region: view.region,
    accountId: view.accountId,
    userPools,
    parameters,
    secrets,
    functions,
    stackFunctions: stackFunctions.functions,
    ...edge,
    distribution: edge.distributions[0],
    buckets,
    amplifyApps,
    siteSources: buckets[0]?.sources ?? [],
    outputs,
    notEmulated: [
      ...notEmulatedLines(view, new Set(stackFunctions.functions.map((f) => f.logicalId))),
      ...userPools.flatMap((p) =>
        lambdaConfigKeysNotRun(p.properties).map(
          (key) => `Cognito trigger ${key} of ${p.logicalId}: not emulated`,
        ),
      ),
      ...stackFunctions.skipped,
    ],
    endpoints: view.endpoints,
  };
}

function notEmulatedLines(view: StackView, servedFunctions: Set<string>): string[] {
  const counts = new Map<string, string[]>();
  for (const [id, resource] of Object.entries(view.stack.template.Resources)) {
    // Custom resources run through their providers (or the target runs them); functions the kit cannot run say why.
    if (SERVED_TYPES.has(resource.Type) || servedFunctions.has(id) || isCustomResourceType(resource.Type))
      continue;
    if (resource.Type === "AWS::Lambda::Function") continue;
    counts.set(resource.Type, [...(counts.get(resource.Type) ?? []), id]);
  }
  return [...counts.entries()].map(
    ([type, ids]) =>
      `${type}${ids.length > 1 ? ` ×${ids.length}` : ""}: ${notEmulatedNote(type)} (${ids.join(", ")})`,
  );
}
