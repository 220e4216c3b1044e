// DeleteParameter: removes a parameter and all its versions; ParameterNotFound when there is none.
import type { Operation, SsmDeps } from "../deps.js";
import { requiredString } from "../input.js";

export const deleteParameter =
  (deps: Pick<SsmDeps, "store">): Operation =>
  (request) => {
    deps.store.delete(requiredString(request, "Name"));
    return {};
  };
