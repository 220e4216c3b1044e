// A read-only view of one synthesized stack, resolved against the kit's physical ids: what every service's
// `fromTemplate.ts` reads its settings from. Resolving (intrinsics, ids, secrets, endpoints) lives here only.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LOCAL_ACCOUNT_ID } from "../shared/account.js";
import { EndpointMap } from "./endpoints.js";
import { type ResolveScope, resolveValue, TemplateResolveError } from "./intrinsics.js";
import { PhysicalIdStore, type PhysicalRecord } from "./physicalIds.js";
import { FALLBACK_TYPE, newSecretValue, RESOURCE_TYPES, type TypeContext } from "./resourceTypes.js";
import {
  type CfnResource,
  conditionEvaluator,
  importValueForStack,
  mappingOf,
  parameterValue,
  type SynthesizedStack,
} from "./template.js";

export interface IdGenerators {
  newUserPoolId(region: string): string;
  newClientId(): string;
  newClientSecret(): string;
}

export interface StackView {
  readonly stack: SynthesizedStack;
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  /** AWS hosts -> the local URLs standing in for them; slices register theirs before values are rewritten. */
  readonly endpoints: EndpointMap;
  /** Logical ids of the resources of `type`, in template order. */
  resourcesOfType(type: string): string[];
  /** The resource as the template writes it (unresolved). */
  resource(logicalId: string): CfnResource;
  /** Resolved properties. */
  properties(logicalId: string): Record<string, unknown>;
  /** Resolved properties with AWS endpoints rewritten to the local ones. */
  localProperties(logicalId: string): Record<string, unknown>;
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): unknown;
  /** The persisted physical record (id and generated attributes). */
  record(logicalId: string): PhysicalRecord;
  /** True when the unresolved `value` names `logicalId` (Ref or GetAtt). */
  refersTo(value: unknown, logicalId: string): boolean;
  /** A secret's value by ARN, name or logical id (generated once, kept in the state folder). */
  secretValue(secretId: string): string;
  /** Folder of a function's code asset. */
  assetDir(logicalId: string): string;
  /** Folder of a file asset by its hash (object key without `.zip`). */
  fileAssetDir(hash: string): string;
  /** Outputs, resolved and rewritten; one that names something not available locally says so. */
  outputs(): Record<string, string>;
  /** Writes the physical ids handed out so far. */
  save(): void;
}

/** What a custom resource's provider answered (its Ref and its Fn::GetAtt values). */
export interface CustomResourceOutcome {
  physicalResourceId: string;
  data: Record<string, unknown>;
}

export interface StackViewOptions {
  stack: SynthesizedStack;
  stateDir: string;
  ids: IdGenerators;
  /** The answer of each custom resource that has one; the others resolve through their resource type. */
  customResource?: (logicalId: string) => CustomResourceOutcome | undefined;
  /**
   * Resources left out of the deployment (a custom resource not created yet or failed, and what depends on it):
   * `resourcesOfType` never lists them, so no service serves them.
   */
  unavailable?: ReadonlySet<string>;
}

/** The view of `stack`, allocating (or reusing) physical ids from `stateDir`. */
export function createStackView({
  stack,
  stateDir,
  ids,
  customResource,
  unavailable,
}: StackViewOptions): StackView {
  const { template, region, stackName } = stack;
  const resources = template.Resources;
  const store = new PhysicalIdStore(stateDir);
  const endpoints = new EndpointMap();
  const resolving = new Set<string>();
  const propertyCache = new Map<string, Record<string, unknown>>();
  const secretValues = new Map<string, string>();

  const typeOf = (logicalId: string) => RESOURCE_TYPES[resources[logicalId]!.Type] ?? FALLBACK_TYPE;
  const contextFor = (logicalId: string): TypeContext => ({
    logicalId,
    region,
    accountId: LOCAL_ACCOUNT_ID,
    stackName,
    property: (name) => properties(logicalId)[name],
    newUserPoolId: () => ids.newUserPoolId(region),
    newClientId: ids.newClientId,
    newClientSecret: ids.newClientSecret,
  });
  const record = (logicalId: string): PhysicalRecord => {
    const resource = resources[logicalId];
    if (!resource) throw new TemplateResolveError(`Unknown resource ${logicalId}`);
    return store.ensure(logicalId, resource.Type, () => typeOf(logicalId).create(contextFor(logicalId)));
  };
  const resourcesOfType = (type: string) =>
    Object.keys(resources).filter((id) => resources[id]!.Type === type && !unavailable?.has(id));

  function guard<T>(logicalId: string, fn: () => T): T {
    if (resolving.has(logicalId)) throw new TemplateResolveError(`Circular reference through ${logicalId}`);
    resolving.add(logicalId);
    try {
      return fn();
    } finally {
      resolving.delete(logicalId);
    }
  }

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
      const parameter = parameterValue(template, id); // a list parameter resolves to a list
      if (parameter !== undefined) return parameter as string;
      if (!resources[id]) return undefined;
      const answered = customResource?.(id);
      if (answered) return answered.physicalResourceId;
      return guard(id, () => {
        const r = record(id);
        return typeOf(id).ref?.(r, contextFor(id)) ?? r.id;
      });
    },
    getAtt(logicalId, attribute) {
      if (!resources[logicalId])
        throw new TemplateResolveError(`Fn::GetAtt of unknown resource ${logicalId}`);
      const answered = customResource?.(logicalId);
      if (answered) {
        if (!Object.hasOwn(answered.data, attribute)) {
          const keys = Object.keys(answered.data);
          throw new TemplateResolveError(
            `Fn::GetAtt ${logicalId}.${attribute}: the custom resource's provider returned no such Data key (${keys.length ? `it returned ${keys.join(", ")}` : "it returned no Data"})`,
          );
        }
        return answered.data[attribute];
      }
      return guard(logicalId, () => {
        const attributes = typeOf(logicalId).attributes?.(record(logicalId), contextFor(logicalId)) ?? {};
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
        const [secretId, jsonKey] = splitSecretReference(reference);
        const value = secretValue(secretId);
        if (!jsonKey) return value;
        return String((JSON.parse(value) as Record<string, string>)[jsonKey]);
      }
      if (service === "ssm") {
        const name = reference.split(":")[0];
        const id = resourcesOfType("AWS::SSM::Parameter").find((p) => scope.ref(p) === name);
        if (id) return String(properties(id).Value);
      }
      throw new TemplateResolveError(
        `Dynamic reference {{resolve:${service}:${reference}}} is not available locally`,
      );
    },
    condition: conditionEvaluator(template, () => scope),
    mapping: (name) => mappingOf(template, name),
    importValue: importValueForStack(stack, LOCAL_ACCOUNT_ID),
  };

  function properties(logicalId: string): Record<string, unknown> {
    const cached = propertyCache.get(logicalId);
    if (cached) return cached;
    const resource = resources[logicalId];
    if (!resource) throw new TemplateResolveError(`Unknown resource ${logicalId}`);
    const resolved = resolveValue(resource.Properties ?? {}, scope, logicalId) as Record<string, unknown>;
    propertyCache.set(logicalId, resolved);
    return resolved;
  }

  function secretValue(secretId: string): string {
    const cached = secretValues.get(secretId);
    if (cached !== undefined) return cached;
    for (const logicalId of resourcesOfType("AWS::SecretsManager::Secret")) {
      if (
        secretId !== scope.ref(logicalId) &&
        secretId !== properties(logicalId).Name &&
        secretId !== logicalId
      )
        continue;
      const value = generatedSecret(logicalId);
      secretValues.set(secretId, value);
      return value;
    }
    throw new TemplateResolveError(`Secret ${secretId} is not defined in the template`);
  }

  function generatedSecret(logicalId: string): string {
    const props = properties(logicalId);
    if (typeof props.SecretString === "string") return props.SecretString;
    const r = record(logicalId);
    if (!r.attributes.value) {
      const generate = (props.GenerateSecretString ?? {}) as Record<string, unknown>;
      const password = newSecretValue(Number(generate.PasswordLength ?? 32));
      r.attributes.value =
        typeof generate.SecretStringTemplate === "string" && typeof generate.GenerateStringKey === "string"
          ? JSON.stringify({
              ...JSON.parse(generate.SecretStringTemplate),
              [generate.GenerateStringKey]: password,
            })
          : password;
    }
    return r.attributes.value;
  }

  function fileAssetDir(hash: string): string {
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
    throw new TemplateResolveError(
      `Asset ${hash} is missing from ${stack.assemblyDir}: run \`npm run synth\``,
    );
  }

  return {
    stack,
    stackName,
    region,
    accountId: LOCAL_ACCOUNT_ID,
    endpoints,
    resourcesOfType,
    resource(logicalId) {
      const resource = resources[logicalId];
      if (!resource) throw new TemplateResolveError(`Unknown resource ${logicalId}`);
      return resource;
    },
    properties,
    localProperties: (logicalId) => endpoints.rewriteDeep(properties(logicalId)),
    ref(logicalId) {
      const value = scope.ref(logicalId);
      if (value === undefined) throw new TemplateResolveError(`Ref of unknown resource ${logicalId}`);
      return value;
    },
    getAtt: (logicalId, attribute) => scope.getAtt(logicalId, attribute),
    record,
    refersTo: (value, logicalId) => JSON.stringify(value ?? null).includes(`"${logicalId}"`),
    secretValue,
    assetDir(logicalId) {
      const resource = resources[logicalId]!;
      const path = resource.Metadata?.["aws:asset:path"];
      if (typeof path === "string") return join(stack.assemblyDir, path);
      const key = (resource.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
      if (typeof key === "string") return fileAssetDir(key.replace(/\.zip$/, ""));
      throw new TemplateResolveError(
        `${logicalId}: no asset found for the function's code (inline code is not run locally)`,
      );
    },
    fileAssetDir,
    outputs() {
      const outputs: Record<string, string> = {};
      for (const [name, output] of Object.entries(template.Outputs ?? {})) {
        try {
          outputs[name] = endpoints.rewrite(String(resolveValue(output.Value, scope)));
        } catch (error) {
          outputs[name] = `(not available locally: ${(error as Error).message})`;
        }
      }
      return outputs;
    },
    save: () => store.save(),
  };
}

/** secret-id may itself be an ARN containing ':'; the tail is SecretString:json-key:version-stage:version-id. */
function splitSecretReference(reference: string): [string, string] {
  const marker = reference.indexOf(":SecretString");
  if (marker === -1) return [reference, ""];
  const [, jsonKey = ""] = reference.slice(marker + 1).split(":");
  return [reference.slice(0, marker), jsonKey];
}

/**
 * One service's part of the template: the resource types it serves, the AWS hosts it answers for, and its
 * settings. Each service folder exports one from its `fromTemplate.ts`; the kit's root runs them in order.
 */
export interface ServiceSlice<Settings> {
  name: string;
  /** Resource types this service serves or folds into what it serves. */
  types: readonly string[];
  /** Why a type this service knows of, but does not serve, does not matter locally. */
  notes?: Readonly<Record<string, string>>;
  /** The local servers it needs, one per listed logical id (the first of each kind keeps its fixed port). */
  servers?(view: StackView): { kind: ServerKind; ids: string[] };
  /** Registers the AWS hosts it answers for, given the local URL of each of its servers. */
  endpoints?(view: StackView, urlOf: (kind: ServerKind, logicalId?: string) => string): void;
  /** Custom resource types whose provider this service plays itself (see {@link LocalCustomResourceProvider}). */
  customResourceProviders?: Readonly<Record<string, LocalCustomResourceProvider>>;
  /** Its settings, read from the view (after every slice registered its endpoints). */
  extract(view: StackView): Settings;
}

/**
 * A custom resource's provider played by the service serving its type, for a type whose real handler cannot run
 * here; it answers as that handler would: the physical id and Data.
 */
export type LocalCustomResourceProvider = (
  properties: Record<string, unknown>,
  requestType: "Create" | "Update" | "Delete",
  previous: CustomResourceOutcome | undefined,
) => CustomResourceOutcome;

/** Services with a port of their own per resource: a Function URL, a distribution, a bucket. */
export type ServerKind = "functionUrl" | "cloudfront" | "site" | "cognito" | "ssm";
