// Checks a synthesized template against CloudFormation's resource schemas as @aws-cdk/aws-service-spec ships
// them (the database CDK generates its L1 classes from): types, property names and types, required
// properties, allowed values, and the attributes Fn::GetAtt asks for.
import { loadAwsServiceSpecSync } from "@aws-cdk/aws-service-spec";
import type { SpecDatabase } from "@aws-cdk/service-spec-types";

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped.
type Json = any;

/** The shapes the database describes a property with (see @aws-cdk/service-spec-types, common.d.ts). */
type PropertyType =
  | { type: "string"; allowedValues?: string[] }
  | { type: "integer"; allowedValues?: number[] }
  | { type: "number" | "boolean" | "json" | "date-time" | "null" | "tag" }
  | { type: "ref"; reference: { $ref: string } }
  | { type: "array" | "map"; element: PropertyType }
  | { type: "union"; types: PropertyType[] };

interface PropertySpec {
  type: PropertyType;
  previousTypes?: PropertyType[];
  required?: boolean;
}

interface Shape {
  properties: Record<string, PropertySpec>;
}

interface ResourceSpec extends Shape {
  cloudFormationType: string;
  attributes: Record<string, unknown>;
}

/** Types CloudFormation runs without a registry schema: CDK's metadata and every custom resource. */
const NO_SCHEMA = /^(Custom::|AWS::CloudFormation::CustomResource$|AWS::CDK::Metadata$)/;
const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);
const POLICIES = new Set(["Delete", "Retain", "Snapshot", "RetainExceptOnCreate"]);

let database: SpecDatabase | undefined;
function db(): SpecDatabase {
  database ??= loadAwsServiceSpecSync();
  return database;
}

function resourceSpec(type: string): ResourceSpec | undefined {
  const found = db().lookup("resource", "cloudFormationType", "equals", type);
  return found.length === 1 ? (found[0] as unknown as ResourceSpec) : undefined;
}

function typeDefinition(id: string): Shape {
  return db().get("typeDefinition", id) as unknown as Shape;
}

const isIntrinsic = (value: Json): boolean =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  /^(Ref|Fn::\w+|Condition)$/.test(Object.keys(value)[0]!);

/** Validates every resource of `template`; returns one line per problem (empty: the template is fine). */
export function validateAgainstResourceSchemas(template: {
  Resources: Record<string, Json>;
  Parameters?: Json;
}): string[] {
  const problems: string[] = [];
  const resources = template.Resources;
  const parameters = new Set(Object.keys(template.Parameters ?? {}));

  /** Ref and Fn::GetAtt name things that exist, and GetAtt asks for an attribute the type has. */
  function checkReferences(value: Json, at: string): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        checkReferences(item, `${at}[${i}]`);
      });
      return;
    }
    if (typeof value !== "object" || value === null) return;
    if (typeof value.Ref === "string") {
      const name = value.Ref;
      if (!(name in resources || parameters.has(name) || PSEUDO_PARAMETERS.has(name))) {
        problems.push(`${at}: Ref to unknown "${name}"`);
      }
      return;
    }
    if (Array.isArray(value["Fn::GetAtt"])) {
      const [logicalId, attribute] = value["Fn::GetAtt"];
      const target = resources[logicalId];
      if (!target) problems.push(`${at}: Fn::GetAtt on unknown resource "${logicalId}"`);
      else if (!NO_SCHEMA.test(target.Type)) {
        const spec = resourceSpec(target.Type);
        if (spec && !(attribute in spec.attributes)) {
          problems.push(`${at}: ${target.Type} has no attribute "${attribute}" (Fn::GetAtt ${logicalId})`);
        }
      }
      return;
    }
    for (const [key, inner] of Object.entries(value)) checkReferences(inner, `${at}.${key}`);
  }

  /** Whether `value` fits `type`; intrinsics fit anything (their result is only known at deploy time). */
  function fits(value: Json, type: PropertyType, at: string, errors: string[]): boolean {
    if (isIntrinsic(value)) return true;
    switch (type.type) {
      case "string":
      case "date-time":
        if (typeof value !== "string") return false;
        if ("allowedValues" in type && type.allowedValues && !type.allowedValues.includes(value)) {
          errors.push(`${at}: "${value}" is not one of ${type.allowedValues.join(", ")}`);
        }
        return true;
      case "integer":
        return Number.isInteger(typeof value === "string" ? Number(value) : value);
      case "number":
        return (
          typeof value === "number" ||
          (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)))
        );
      case "boolean":
        return typeof value === "boolean" || value === "true" || value === "false";
      case "json":
        return typeof value === "object" || typeof value === "string";
      case "null":
        return value === null;
      case "tag":
        return typeof value === "object" && value !== null && "Key" in value && "Value" in value;
      case "array":
        return (
          Array.isArray(value) && value.every((item, i) => check(item, [type.element], `${at}[${i}]`, errors))
        );
      case "map":
        return (
          typeof value === "object" &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(([k, item]) => check(item, [type.element], `${at}.${k}`, errors))
        );
      case "union":
        return type.types.some((option) => fits(value, option, at, []));
      case "ref":
        if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
        checkShape(value, typeDefinition(type.reference.$ref), at, errors);
        return true;
    }
  }

  function check(value: Json, types: PropertyType[], at: string, errors: string[]): boolean {
    if (types.some((type) => fits(value, type, at, errors))) return true;
    errors.push(`${at}: ${JSON.stringify(value).slice(0, 80)} is not a ${types.map(describe).join(" or ")}`);
    return true; // reported once, here
  }

  function checkShape(value: Record<string, Json>, shape: Shape, at: string, errors: string[]): void {
    for (const [name, property] of Object.entries(shape.properties)) {
      if (property.required && !(name in value)) errors.push(`${at}: required property ${name} is missing`);
    }
    for (const [name, inner] of Object.entries(value)) {
      const property = shape.properties[name];
      if (!property) {
        errors.push(`${at}: unknown property ${name}`);
        continue;
      }
      check(inner, [property.type, ...(property.previousTypes ?? [])], `${at}.${name}`, errors);
    }
  }

  for (const [logicalId, resource] of Object.entries(resources)) {
    const at = `Resources.${logicalId}`;
    checkReferences(resource.Properties ?? {}, `${at}.Properties`);
    for (const key of ["DeletionPolicy", "UpdateReplacePolicy"]) {
      if (key in resource && !POLICIES.has(resource[key]))
        problems.push(`${at}.${key}: "${resource[key]}" is not a policy`);
    }
    for (const dependency of [resource.DependsOn ?? []].flat()) {
      if (!(dependency in resources)) problems.push(`${at}.DependsOn: unknown resource "${dependency}"`);
    }
    if (NO_SCHEMA.test(resource.Type)) {
      if (resource.Type !== "AWS::CDK::Metadata" && !resource.Properties?.ServiceToken) {
        problems.push(`${at}: a custom resource needs a ServiceToken`);
      }
      continue;
    }
    const spec = resourceSpec(resource.Type);
    if (!spec) {
      problems.push(`${at}: ${resource.Type} is not a CloudFormation resource type`);
      continue;
    }
    checkShape(resource.Properties ?? {}, spec, `${at}.Properties`, problems);
  }
  return problems;
}

function describe(type: PropertyType): string {
  if (type.type === "array" || type.type === "map") return `${type.type} of ${describe(type.element)}`;
  if (type.type === "union") return type.types.map(describe).join(" | ");
  if (type.type === "ref") return "structure";
  return type.type;
}
