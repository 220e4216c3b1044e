// GetParameter: one parameter by name; SecureString values only in plaintext with WithDecryption.
import { NotEmulatedError } from "../../shared/awsError.js";
import type { Operation, SsmDeps } from "../deps.js";
import { ParameterNotFoundError } from "../errors.js";
import { optionalBoolean, requiredString } from "../input.js";
import { isSecretReference, readSecretReference, toWireParameter } from "../wire.js";

export const getParameter =
  (deps: SsmDeps): Operation =>
  (request) => {
    const name = requiredString(request, "Name");
    const withDecryption = optionalBoolean(request, "WithDecryption");
    if (isSecretReference(name)) return { Parameter: readSecretReference(name, withDecryption, deps) };
    if (/:[^/]*$/.test(name))
      throw new NotEmulatedError("Parameter version and label selectors (name:selector)");
    const parameter = deps.store.get(name);
    if (!parameter) throw new ParameterNotFoundError(name);
    return { Parameter: toWireParameter(parameter, withDecryption, deps) };
  };
