// Reads typed fields out of a JSON request, answering ValidationException like AWS does.
import { ValidationError } from "./errors.js";

function fieldName(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

export function requiredString(request: Record<string, unknown>, key: string): string {
  const value = request[key];
  if (value === undefined || value === null) {
    throw new ValidationError(
      `1 validation error detected: Value null at '${fieldName(key)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (typeof value !== "string") throw new ValidationError(`${key} must be a string.`);
  return value;
}

export function optionalString(request: Record<string, unknown>, key: string): string | undefined {
  const value = request[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ValidationError(`${key} must be a string.`);
  return value;
}

export function optionalBoolean(request: Record<string, unknown>, key: string): boolean {
  const value = request[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw new ValidationError(`${key} must be a boolean.`);
  return value;
}

export function optionalInteger(request: Record<string, unknown>, key: string): number | undefined {
  const value = request[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new ValidationError(`${key} must be an integer.`);
  return value;
}

export function requiredStringList(request: Record<string, unknown>, key: string): string[] {
  const value = request[key];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new ValidationError(`${key} must be a list of strings.`);
  }
  return value as string[];
}
