// ListUsers: users of a pool, with Cognito's `attr = "v"` / `attr ^= "prefix"` filter and pagination.
import { invalidParameter } from "../errors.js";
import type { StoredUser } from "../poolStore.js";
import { type Operation, requirePool, userType } from "./common.js";

const FILTER = /^\s*([\w:]+)\s*(=|\^=)\s*"((?:[^"\\]|\\.)*)"\s*$/;
const FILTERABLE = new Set([
  "username",
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
]);

function filterValue(user: StoredUser, attribute: string): string | undefined {
  if (attribute === "username") return user.username;
  if (attribute === "sub") return user.sub;
  if (attribute === "cognito:user_status") return user.status;
  if (attribute === "status") return user.enabled ? "Enabled" : "Disabled";
  return user.attributes[attribute];
}

function parseFilter(filter: unknown): ((user: StoredUser) => boolean) | undefined {
  if (filter === undefined || filter === "") return undefined;
  const match = typeof filter === "string" ? FILTER.exec(filter) : null;
  if (!match || !FILTERABLE.has(match[1]!)) throw invalidParameter("Error while parsing filter.");
  const [, attribute, operator, raw] = match as unknown as [string, string, string, string];
  const wanted = raw.replace(/\\(.)/g, "$1");
  return (user) => {
    const value = filterValue(user, attribute);
    return value !== undefined && (operator === "=" ? value === wanted : value.startsWith(wanted));
  };
}

export const listUsers: Operation = async (runtime, request) => {
  const pool = requirePool(runtime, request);
  const limit = request.Limit ?? 60;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 60)
    throw invalidParameter(
      "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  const matches = parseFilter(request.Filter);
  const users = pool.store
    .users()
    .filter((u) => !matches || matches(u))
    .sort((a, b) => a.createdAt - b.createdAt || a.username.localeCompare(b.username));
  const start =
    typeof request.PaginationToken === "string"
      ? Number(Buffer.from(request.PaginationToken, "base64url").toString())
      : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidParameter("Invalid pagination token");
  const page = users.slice(start, start + limit);
  const next =
    start + limit < users.length ? Buffer.from(String(start + limit)).toString("base64url") : undefined;
  return { Users: page.map((u) => userType(u)), ...(next ? { PaginationToken: next } : {}) };
};
