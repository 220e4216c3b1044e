// GetParametersByPath: one level (or every level, Recursive) below a path, paged by MaxResults/NextToken.
import { NotEmulatedError } from "../../shared/awsError.js";
import type { Operation, SsmDeps } from "../deps.js";
import { InvalidNextTokenError, ValidationError } from "../errors.js";
import { optionalBoolean, optionalInteger, optionalString, requiredString } from "../input.js";
import { toWireParameter } from "../wire.js";

const MAX_RESULTS = 10;

export const getParametersByPath =
  (deps: SsmDeps): Operation =>
  (request) => {
    const path = requiredString(request, "Path");
    const recursive = optionalBoolean(request, "Recursive");
    const withDecryption = optionalBoolean(request, "WithDecryption");
    const maxResults = optionalInteger(request, "MaxResults") ?? MAX_RESULTS;
    const nextToken = optionalString(request, "NextToken");
    const filters = request.ParameterFilters;
    if (Array.isArray(filters) && filters.length > 0)
      throw new NotEmulatedError("GetParametersByPath ParameterFilters");
    if (!path.startsWith("/")) throw new ValidationError("The path must begin with a forward slash (/).");
    if (maxResults < 1 || maxResults > MAX_RESULTS) {
      throw new ValidationError(
        `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: ` +
          `Member must have value less than or equal to ${MAX_RESULTS}`,
      );
    }

    const prefix = path.endsWith("/") ? path : `${path}/`;
    const matching = deps.store
      .all()
      .filter((p) => p.name.startsWith(prefix) && (recursive || !p.name.slice(prefix.length).includes("/")));
    const start =
      nextToken === undefined
        ? 0
        : startAfter(
            nextToken,
            matching.map((p) => p.name),
          );
    const page = matching.slice(start, start + maxResults);
    const more = start + maxResults < matching.length;
    return {
      Parameters: page.map((p) => toWireParameter(p, withDecryption, deps)),
      ...(more && page.length > 0 ? { NextToken: encodeToken(page[page.length - 1]!.name) } : {}),
    };
  };

// The token names the last parameter returned, so deletes between pages skip nothing.
function encodeToken(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName })).toString("base64url");
}

function startAfter(token: string, names: string[]): number {
  let after: unknown;
  try {
    after = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown }).after;
  } catch {
    throw new InvalidNextTokenError();
  }
  if (typeof after !== "string") throw new InvalidNextTokenError();
  const index = names.findIndex((name) => name > after);
  return index === -1 ? names.length : index;
}
