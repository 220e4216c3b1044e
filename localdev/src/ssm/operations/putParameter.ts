// PutParameter: creates a parameter (version 1) or, with Overwrite, replaces it (version + 1).
import { AwsError, NotEmulatedError } from "../../shared/awsError.js";
import { matchesAllowedPattern } from "../allowedPattern.js";
import type { Operation, SsmDeps } from "../deps.js";
import { ValidationError } from "../errors.js";
import { optionalBoolean, optionalString, requiredString } from "../input.js";
import { PARAMETER_TYPES, type ParameterType } from "../store.js";

const MAX_NAME_LENGTH = 2048;
const MAX_STANDARD_VALUE_LENGTH = 4096;
const MAX_HIERARCHY_LEVELS = 15;

export const putParameter =
  (deps: Pick<SsmDeps, "store">): Operation =>
  (request) => {
    const name = requiredString(request, "Name");
    const value = requiredString(request, "Value");
    const type = parameterType(optionalString(request, "Type"));
    const overwrite = optionalBoolean(request, "Overwrite");
    rejectUnemulated(request);
    validateName(name);
    if (value.length < 1 || value.length > MAX_STANDARD_VALUE_LENGTH) {
      throw new ValidationError(
        `1 validation error detected: Value at 'value' failed to satisfy constraint: ` +
          `Member must have length less than or equal to ${MAX_STANDARD_VALUE_LENGTH} and greater than or equal to 1`,
      );
    }
    const pattern = optionalString(request, "AllowedPattern");
    if (pattern !== undefined && !matchesAllowedPattern(pattern, value)) {
      throw new AwsError(
        "ParameterPatternMismatchException",
        `Parameter value, cannot be validated against allowedPattern: ${pattern}`,
      );
    }
    const version = deps.store.put({ name, value, type, overwrite });
    return { Version: version, Tier: "Standard" };
  };

function parameterType(type: string | undefined): ParameterType | undefined {
  if (type === undefined) return undefined;
  if (!(PARAMETER_TYPES as readonly string[]).includes(type)) {
    throw new ValidationError(
      `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [SecureString, StringList, String]`,
    );
  }
  return type as ParameterType;
}

function validateName(name: string): void {
  if (name.length < 1 || name.length > MAX_NAME_LENGTH) {
    throw new ValidationError(`Parameter name must be between 1 and ${MAX_NAME_LENGTH} characters.`);
  }
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
    throw new ValidationError(
      "Parameter name: can't contain characters other than a-z, A-Z, 0-9, period (.), hyphen (-), underscore (_) and slash (/).",
    );
  }
  if (/^\/?(aws|ssm)/i.test(name)) {
    throw new ValidationError(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`);
  }
  if (name.includes("/") && !name.startsWith("/")) {
    throw new ValidationError("Parameter name must be a fully qualified name.");
  }
  if (name.split("/").length - 1 > MAX_HIERARCHY_LEVELS) {
    throw new AwsError(
      "HierarchyLevelLimitExceededException",
      `A hierarchy can have a maximum of ${MAX_HIERARCHY_LEVELS} levels.`,
    );
  }
}

// Features whose effect the kit cannot reproduce fail loudly instead of being dropped.
function rejectUnemulated(request: Record<string, unknown>): void {
  const tier = request.Tier;
  if (tier !== undefined && tier !== "Standard")
    throw new NotEmulatedError(`PutParameter Tier ${String(tier)}`);
  const dataType = request.DataType;
  if (dataType !== undefined && dataType !== "text") {
    throw new NotEmulatedError(`PutParameter DataType ${String(dataType)}`);
  }
  if (Array.isArray(request.Policies) || typeof request.Policies === "string") {
    throw new NotEmulatedError("PutParameter Policies");
  }
  if (Array.isArray(request.Tags) && request.Tags.length > 0) throw new NotEmulatedError("PutParameter Tags");
}
