// GetParameters: up to 10 names in one call; unknown names come back in InvalidParameters, not as an error.
import type { Operation, SsmDeps } from "../deps.js";
import { ParameterNotFoundError, ValidationError } from "../errors.js";
import { optionalBoolean, requiredStringList } from "../input.js";
import { isSecretReference, readSecretReference, toWireParameter, type WireParameter } from "../wire.js";

const MAX_NAMES = 10;

export const getParameters =
  (deps: SsmDeps): Operation =>
  (request) => {
    const names = [...new Set(requiredStringList(request, "Names"))];
    const withDecryption = optionalBoolean(request, "WithDecryption");
    if (names.length < 1 || names.length > MAX_NAMES) {
      throw new ValidationError(
        `1 validation error detected: Value '[${names.join(", ")}]' at 'names' failed to satisfy constraint: ` +
          `Member must have length less than or equal to ${MAX_NAMES} and greater than or equal to 1`,
      );
    }
    const parameters: WireParameter[] = [];
    const invalid: string[] = [];
    for (const name of names) {
      const found = lookup(name, withDecryption, deps);
      if (found) parameters.push(found);
      else invalid.push(name);
    }
    return { Parameters: parameters, InvalidParameters: invalid };
  };

function lookup(name: string, withDecryption: boolean, deps: SsmDeps): WireParameter | undefined {
  if (isSecretReference(name)) {
    try {
      return readSecretReference(name, withDecryption, deps);
    } catch (error) {
      if (error instanceof ParameterNotFoundError) return undefined;
      throw error;
    }
  }
  const parameter = deps.store.get(name);
  return parameter ? toWireParameter(parameter, withDecryption, deps) : undefined;
}
