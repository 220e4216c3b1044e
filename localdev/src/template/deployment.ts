// Turns a synthesized stack into a typed local deployment: resolved resources the emulators serve.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BUNDLE_METADATA_KEY } from "../../../lambda/build.js";
import { LOCAL_ACCOUNT_ID } from "../shared/account.js";
import { EndpointMap, type LocalUrls } from "./endpoints.js";
import { type ResolveScope, resolveValue, TemplateResolveError } from "./intrinsics.js";
import { PhysicalIdStore, type PhysicalRecord } from "./physicalIds.js";
import { FALLBACK_TYPE, newSecretValue, RESOURCE_TYPES, type TypeContext } from "./resourceTypes.js";
import type { CfnResource, SynthesizedStack } from "./template.js";

export { LOCAL_ACCOUNT_ID };

export interface IdGenerators {
  newUserPoolId(region: string): string;
  newClientId(): string;
  newClientSecret(): string;
}

export interface LocalUserPool {
  logicalId: string;
  id: string;
  properties: Record<string, unknown>;
  domainPrefix?: string;
  clients: {
    logicalId: string;
    clientId: string;
    clientSecret?: string;
    properties: Record<string, unknown>;
  }[];
}

export interface LocalParameter {
  name: string;
  type: "String" | "StringList" | "SecureString";
  value: string;
}

export interface LocalFunction {
  logicalId: string;
  name: string;
  codeDir: string;
  /** The build definition the code comes from (template Metadata `furl-kit:bundle`), when the app names one. */
  bundle?: string;
  properties: Record<string, unknown>;
  url?: { logicalId: string; urlId: string; awsHost: string; properties: Record<string, unknown> };
}

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

export interface LocalSiteSource {
  /** Folder of the asset in the cloud assembly. */
  dir: string;
  /** Deploy-time values substituted into the files (BucketDeployment markers), already local. */
  markers: Record<string, string>;
  jsonEscape: boolean;
}

export interface LocalDeployment {
  stackName: string;
  region: string;
  accountId: string;
  userPools: LocalUserPool[];
  parameters: LocalParameter[];
  functions: LocalFunction[];
  distribution?: LocalDistribution;
  webAcls: { logicalId: string; arn: string; properties: Record<string, unknown> }[];
  ipSets: Record<string, string[]>;
  siteSources: LocalSiteSource[];
  /** Secrets by ARN, for dynamic references and `/aws/reference/secretsmanager/*`. */
  secrets: Record<string, string>;
  outputs: Record<string, string>;
  /** Human-readable lines: what the template has that the kit does not emulate. */
  notEmulated: string[];
  endpoints: EndpointMap;
}

/** Resource types the kit serves (or folds into what it serves). */
export const SERVED_TYPES = new Set([
  "AWS::Cognito::UserPool",
  "AWS::Cognito::UserPoolClient",
  "AWS::Cognito::UserPoolDomain",
  "AWS::SSM::Parameter",
  "AWS::Lambda::Url",
  "AWS::CloudFront::Distribution",
  "AWS::CloudFront::OriginRequestPolicy",
  "AWS::CloudFront::ResponseHeadersPolicy",
  "AWS::CloudFront::CachePolicy",
  "AWS::WAFv2::WebACL",
  "AWS::WAFv2::IPSet",
  "AWS::SecretsManager::Secret",
  "AWS::Amplify::App",
  "AWS::Amplify::Branch",
  "Custom::SecureStringParameter",
  "Custom::CDKBucketDeployment",
]);

/** Why a type that is present but not served does not matter locally. */
const NOT_EMULATED_NOTES: Record<string, string> = {
  "AWS::IAM::Role": "IAM is not enforced locally",
  "AWS::IAM::Policy": "IAM is not enforced locally",
  "AWS::Lambda::Permission": "permissions are not enforced locally",
  "AWS::S3::Bucket": "the site is served from its asset folder",
  "AWS::S3::BucketPolicy": "the site is served from its asset folder",
  "Custom::S3AutoDeleteObjects": "deploy-time cleanup",
  "Custom::AWS": "deploy-time SDK call (AwsCustomResource)",
  "AWS::CDK::Metadata": "CDK bookkeeping",
  "AWS::Logs::LogGroup": "function logs go to the kit's log",
};

export interface BuildOptions {
  stack: SynthesizedStack;
  urls: LocalUrls;
  stateDir: string;
  ids: IdGenerators;
}

/** Builds the local deployment of `stack`, allocating (or reusing) physical ids from `stateDir`. */
export function buildLocalDeployment({ stack, urls, stateDir, ids }: BuildOptions): LocalDeployment {
  const { template, region, stackName } = stack;
  const resources = template.Resources;
  const store = new PhysicalIdStore(stateDir);
  const endpoints = new EndpointMap();
  const resolving = new Set<string>();
  const propertyCache = new Map<string, Record<string, unknown>>();

  const typeOf = (logicalId: string) => RESOURCE_TYPES[resources[logicalId]!.Type] ?? FALLBACK_TYPE;

  const contextFor = (logicalId: string): TypeContext => ({
    logicalId,
    region,
    accountId: LOCAL_ACCOUNT_ID,
    stackName,
    property: (name) => resolvedProperties(logicalId)[name],
    newUserPoolId: () => ids.newUserPoolId(region),
    newClientId: ids.newClientId,
    newClientSecret: ids.newClientSecret,
  });

  const recordOf = (logicalId: string): PhysicalRecord => {
    const resource = resources[logicalId];
    if (!resource) throw new TemplateResolveError(`Unknown resource ${logicalId}`);
    return store.ensure(logicalId, resource.Type, () => typeOf(logicalId).create(contextFor(logicalId)));
  };

  const secretValues = new Map<string, string>();

  const scope: ResolveScope = {
    ref(id) {
      switch (id) {
        case "AWS::Region":
          return region;
        case "AWS::AccountId":
          return LOCAL_ACCOUNT_ID;
        case "AWS::StackName":
          return stackName;
        case "AWS::Partition":
          return "aws";
        case "AWS::URLSuffix":
          return "amazonaws.com";
        case "AWS::StackId":
          return `arn:aws:cloudformation:${region}:${LOCAL_ACCOUNT_ID}:stack/${stackName}/local`;
      }
      if (template.Parameters?.[id]) return String(template.Parameters[id]!.Default ?? "");
      if (!resources[id]) return undefined;
      return guard(id, () => {
        const record = recordOf(id);
        return typeOf(id).ref?.(record, contextFor(id)) ?? record.id;
      });
    },
    getAtt(logicalId, attribute) {
      if (!resources[logicalId])
        throw new TemplateResolveError(`Fn::GetAtt of unknown resource ${logicalId}`);
      return guard(logicalId, () => {
        const attributes = typeOf(logicalId).attributes?.(recordOf(logicalId), contextFor(logicalId)) ?? {};
        if (!(attribute in attributes)) {
          throw new TemplateResolveError(
            `Fn::GetAtt ${logicalId}.${attribute} (${resources[logicalId]!.Type}) is not available locally`,
          );
        }
        return attributes[attribute];
      });
    },
    dynamicReference(service, reference) {
      if (service === "secretsmanager") {
        const [secretId, , jsonKey] = splitSecretReference(reference);
        const value = secretValue(secretId);
        if (!jsonKey) return value;
        const parsed = JSON.parse(value) as Record<string, string>;
        return String(parsed[jsonKey]);
      }
      if (service === "ssm") {
        const found = parameters().find((p) => p.name === reference.split(":")[0]);
        if (found) return found.value;
      }
      throw new TemplateResolveError(
        `Dynamic reference {{resolve:${service}:${reference}}} is not available locally`,
      );
    },
    condition(name) {
      const expression = template.Conditions?.[name];
      if (expression === undefined) throw new TemplateResolveError(`Unknown condition ${name}`);
      return resolveValue(expression, scope) === true;
    },
  };

  function guard<T>(logicalId: string, fn: () => T): T {
    if (resolving.has(logicalId)) throw new TemplateResolveError(`Circular reference through ${logicalId}`);
    resolving.add(logicalId);
    try {
      return fn();
    } finally {
      resolving.delete(logicalId);
    }
  }

  function resolvedProperties(logicalId: string): Record<string, unknown> {
    const cached = propertyCache.get(logicalId);
    if (cached) return cached;
    const raw = resources[logicalId]!.Properties ?? {};
    const resolved = resolveValue(raw, scope, logicalId) as Record<string, unknown>;
    propertyCache.set(logicalId, resolved);
    return resolved;
  }

  /** Properties with AWS endpoints replaced by the local ones. */
  const localProperties = (logicalId: string) => endpoints.rewriteDeep(resolvedProperties(logicalId));

  function secretValue(secretId: string): string {
    const cached = secretValues.get(secretId);
    if (cached !== undefined) return cached;
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== "AWS::SecretsManager::Secret") continue;
      const arn = scope.ref(logicalId)!;
      const name = resolvedProperties(logicalId).Name;
      if (secretId !== arn && secretId !== name && secretId !== logicalId) continue;
      const value = generatedSecret(logicalId);
      secretValues.set(secretId, value);
      return value;
    }
    throw new TemplateResolveError(`Secret ${secretId} is not defined in the template`);
  }

  function generatedSecret(logicalId: string): string {
    const props = resolvedProperties(logicalId);
    if (typeof props.SecretString === "string") return props.SecretString;
    const record = recordOf(logicalId);
    if (!record.attributes.value) {
      const generate = (props.GenerateSecretString ?? {}) as Record<string, unknown>;
      const password = newSecretValue(Number(generate.PasswordLength ?? 32));
      record.attributes.value =
        typeof generate.SecretStringTemplate === "string" && typeof generate.GenerateStringKey === "string"
          ? JSON.stringify({
              ...JSON.parse(generate.SecretStringTemplate),
              [generate.GenerateStringKey]: password,
            })
          : password;
    }
    return record.attributes.value;
  }

  const ofType = (type: string) => Object.keys(resources).filter((id) => resources[id]!.Type === type);
  const refersTo = (value: unknown, logicalId: string) =>
    JSON.stringify(value ?? null).includes(`"${logicalId}"`);

  // 1. Endpoints: register the AWS hosts of everything the kit serves, before any value is rewritten.
  endpoints.add(`cognito-idp.${region}.amazonaws.com`, urls.cognito);
  for (const id of ofType("AWS::Cognito::UserPoolDomain")) {
    endpoints.add(`${scope.ref(id)}.auth.${region}.amazoncognito.com`, urls.cognito);
  }
  for (const id of ofType("AWS::Lambda::Url")) {
    endpoints.add(new URL(String(scope.getAtt(id, "FunctionUrl"))).host, urls.functionUrl);
  }
  for (const id of ofType("AWS::CloudFront::Distribution")) {
    endpoints.add(String(scope.getAtt(id, "DomainName")), urls.cloudfront);
  }
  for (const id of ofType("AWS::Amplify::Branch")) {
    const props = resolvedProperties(id);
    const appId = String(props.AppId);
    endpoints.add(`${props.BranchName}.${appId}.amplifyapp.com`, urls.site);
  }

  // 2. Identity.
  const userPools: LocalUserPool[] = ofType("AWS::Cognito::UserPool").map((poolId) => {
    const clients = ofType("AWS::Cognito::UserPoolClient")
      .filter((id) => refersTo(resources[id]!.Properties?.UserPoolId, poolId))
      .map((id) => {
        const properties = localProperties(id);
        const record = recordOf(id);
        return {
          logicalId: id,
          clientId: record.id,
          clientSecret: properties.GenerateSecret === true ? record.attributes.ClientSecret : undefined,
          properties,
        };
      });
    const domain = ofType("AWS::Cognito::UserPoolDomain").find((id) =>
      refersTo(resources[id]!.Properties?.UserPoolId, poolId),
    );
    return {
      logicalId: poolId,
      id: recordOf(poolId).id,
      properties: localProperties(poolId),
      domainPrefix: domain ? scope.ref(domain) : undefined,
      clients,
    };
  });

  // 3. Parameters, including secure ones written at deploy time by our custom resource.
  let parameterCache: LocalParameter[] | undefined;
  function parameters(): LocalParameter[] {
    if (parameterCache) return parameterCache;
    parameterCache = [];
    for (const id of ofType("AWS::SSM::Parameter")) {
      const props = localProperties(id);
      parameterCache.push({
        name: scope.ref(id)!,
        type: (props.Type as LocalParameter["type"]) ?? "String",
        value: String(props.Value),
      });
    }
    for (const id of ofType("Custom::SecureStringParameter")) {
      const props = resolvedProperties(id);
      parameterCache.push({
        name: String(props.ParameterName),
        type: "SecureString",
        value: secureValue(id, props),
      });
    }
    return parameterCache;
  }

  function secureValue(logicalId: string, props: Record<string, unknown>): string {
    const from = (props.ValueFrom ?? {}) as Record<string, unknown>;
    const cognito = from.CognitoClientSecret as { UserPoolId?: string; ClientId?: string } | undefined;
    if (cognito) {
      const client = userPools
        .find((pool) => pool.id === cognito.UserPoolId)
        ?.clients.find((c) => c.clientId === cognito.ClientId);
      if (!client?.clientSecret) {
        throw new TemplateResolveError(
          `${logicalId}: app client ${cognito.ClientId} has no secret in the template`,
        );
      }
      return client.clientSecret;
    }
    if (typeof from.SecretsManagerSecretId === "string") return secretValue(from.SecretsManagerSecretId);
    throw new TemplateResolveError(
      `${logicalId}: ValueFrom ${JSON.stringify(Object.keys(from))} is not supported`,
    );
  }

  // 4. Functions behind a Function URL (the others are deploy-time helpers).
  const functions: LocalFunction[] = ofType("AWS::Lambda::Url").map((urlId) => {
    const target = resources[urlId]!.Properties?.TargetFunctionArn;
    const functionId = Object.keys(resources).find(
      (id) => resources[id]!.Type === "AWS::Lambda::Function" && refersTo(target, id),
    );
    if (!functionId)
      throw new TemplateResolveError(`${urlId}: TargetFunctionArn does not name a function here`);
    return {
      logicalId: functionId,
      name: scope.ref(functionId)!,
      codeDir: assetDir(stack, resources[functionId]!, functionId),
      ...bundleOf(resources[functionId]!),
      properties: localProperties(functionId),
      url: {
        logicalId: urlId,
        urlId: recordOf(urlId).id,
        awsHost: new URL(String(scope.getAtt(urlId, "FunctionUrl"))).host,
        properties: localProperties(urlId),
      },
    };
  });

  // 5. The edge.
  const distributionId = ofType("AWS::CloudFront::Distribution")[0];
  let distribution: LocalDistribution | undefined;
  if (distributionId) {
    const config = resolvedProperties(distributionId).DistributionConfig as Record<string, unknown>;
    const origins: LocalDistribution["origins"] = {};
    for (const origin of (config.Origins ?? []) as { Id: string; DomainName: string }[]) {
      const url = endpoints.localFor(origin.DomainName);
      if (!url) continue;
      origins[origin.Id] = { awsHost: origin.DomainName, url, host: new URL(url).host };
    }
    const policies = (type: string, key: string) =>
      Object.fromEntries(
        ofType(type).map((id) => [scope.ref(id)!, localProperties(id)[key] as Record<string, unknown>]),
      );
    distribution = {
      logicalId: distributionId,
      id: recordOf(distributionId).id,
      domainName: String(scope.getAtt(distributionId, "DomainName")),
      config: endpoints.rewriteDeep(config),
      origins,
      originRequestPolicies: policies("AWS::CloudFront::OriginRequestPolicy", "OriginRequestPolicyConfig"),
      responseHeadersPolicies: policies(
        "AWS::CloudFront::ResponseHeadersPolicy",
        "ResponseHeadersPolicyConfig",
      ),
      webAclArn: typeof config.WebACLId === "string" ? config.WebACLId : undefined,
    };
  }
  const webAcls = ofType("AWS::WAFv2::WebACL").map((id) => ({
    logicalId: id,
    arn: String(scope.getAtt(id, "Arn")),
    properties: localProperties(id),
  }));
  const ipSets = Object.fromEntries(
    ofType("AWS::WAFv2::IPSet").map((id) => [
      String(scope.getAtt(id, "Arn")),
      (resolvedProperties(id).Addresses as string[]) ?? [],
    ]),
  );

  // 6. The site: what the BucketDeployment uploads, deploy-time markers substituted.
  const siteSources: LocalSiteSource[] = ofType("Custom::CDKBucketDeployment").flatMap((id) => {
    const props = localProperties(id);
    const keys = (props.SourceObjectKeys ?? []) as string[];
    const markers = (props.SourceMarkers ?? []) as Record<string, string>[];
    const markersConfig = (props.SourceMarkersConfig ?? []) as { jsonEscape?: boolean }[];
    return keys.map((key, i) => ({
      dir: fileAssetDir(stack, key.replace(/\.zip$/, "")),
      markers: markers[i] ?? {},
      jsonEscape: markersConfig[i]?.jsonEscape === true,
    }));
  });

  // 7. Outputs, best effort: one that names something not available locally says so.
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    try {
      outputs[name] = endpoints.rewrite(String(resolveValue(output.Value, scope)));
    } catch (error) {
      outputs[name] = `(not available locally: ${(error as Error).message})`;
    }
  }

  const secrets: Record<string, string> = {};
  for (const id of ofType("AWS::SecretsManager::Secret")) secrets[scope.ref(id)!] = generatedSecret(id);

  const localParameters = parameters();
  store.save();
  return {
    stackName,
    region,
    accountId: LOCAL_ACCOUNT_ID,
    userPools,
    parameters: localParameters,
    functions,
    distribution,
    webAcls,
    ipSets,
    siteSources,
    secrets,
    outputs,
    notEmulated: notEmulatedLines(resources, new Set(functions.map((f) => f.logicalId))),
    endpoints,
  };
}

/** A secret of the deployment by ARN or by name (`/aws/reference/secretsmanager/<name>` uses names). */
export function findSecret(d: LocalDeployment, id: string): string | undefined {
  // Own properties only: a client asks for this id (`/aws/reference/secretsmanager/constructor`).
  if (Object.hasOwn(d.secrets, id)) return d.secrets[id];
  return Object.entries(d.secrets).find(([arn]) => arn.includes(`:secret:${id}-`))?.[1];
}

function splitSecretReference(reference: string): [string, string, string] {
  // secret-id may itself be an ARN containing ':'; the tail is SecretString:json-key:version-stage:version-id.
  const marker = reference.indexOf(":SecretString");
  if (marker === -1) return [reference, "SecretString", ""];
  const [, jsonKey = ""] = reference.slice(marker + 1).split(":");
  return [reference.slice(0, marker), "SecretString", jsonKey];
}

function bundleOf(resource: CfnResource): { bundle?: string } {
  const bundle = resource.Metadata?.[BUNDLE_METADATA_KEY];
  return typeof bundle === "string" ? { bundle } : {};
}

function assetDir(stack: SynthesizedStack, resource: CfnResource, logicalId: string): string {
  const path = resource.Metadata?.["aws:asset:path"];
  if (typeof path === "string") return join(stack.assemblyDir, path);
  const key = (resource.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
  if (typeof key === "string") return fileAssetDir(stack, key.replace(/\.zip$/, ""));
  throw new TemplateResolveError(
    `${logicalId}: no asset found for the function's code (inline code is not run locally)`,
  );
}

function fileAssetDir(stack: SynthesizedStack, hash: string): string {
  const manifestPath = stack.templatePath.replace(/\.template\.json$/, ".assets.json");
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      files?: Record<string, { source: { path: string } }>;
    };
    const source = manifest.files?.[hash]?.source.path;
    if (source) return join(stack.assemblyDir, source);
  }
  const guess = join(stack.assemblyDir, `asset.${hash}`);
  if (existsSync(guess)) return guess;
  throw new TemplateResolveError(`Asset ${hash} is missing from ${stack.assemblyDir}: run \`npm run synth\``);
}

function notEmulatedLines(resources: Record<string, CfnResource>, servedFunctions: Set<string>): string[] {
  const counts = new Map<string, number>();
  for (const [id, resource] of Object.entries(resources)) {
    if (SERVED_TYPES.has(resource.Type) || servedFunctions.has(id)) continue;
    counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  }
  return [...counts.entries()].map(
    ([type, count]) => `${type}${count > 1 ? ` ×${count}` : ""}: ${notEmulatedNote(type)}`,
  );
}

/** Why the kit leaves a resource of `type` out (for a type it does not serve). */
export function notEmulatedNote(type: string): string {
  return type === "AWS::Lambda::Function"
    ? "deploy-time helpers (custom resource providers), not run locally"
    : (NOT_EMULATED_NOTES[type] ?? "not emulated");
}
