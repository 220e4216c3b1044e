// FieldToMatch → a function returning the request parts a statement inspects (or a fixed oversize verdict).
import type { RequestContext } from "./requestContext.js";
import { WafConfigError } from "./types.js";

/** Values to inspect; `true`/`false` is a fixed verdict from OversizeHandling MATCH/NO_MATCH. */
export type FieldValues = string[] | boolean;
export type FieldExtractor = (ctx: RequestContext) => FieldValues;

type Obj = Record<string, unknown>;

function oversizeVerdict(handling: unknown): boolean | undefined {
  if (handling === "MATCH") return true;
  if (handling === "NO_MATCH") return false;
  return undefined; // CONTINUE (the default): inspect what fits.
}

function pickPairs(
  pairs: Array<[string, string]>,
  matchPattern: Obj | undefined,
  includedKey: string,
  excludedKey: string,
  scope: unknown,
): string[] {
  const included = (matchPattern?.[includedKey] as string[] | undefined)?.map((n) => n.toLowerCase());
  const excluded = (matchPattern?.[excludedKey] as string[] | undefined)?.map((n) => n.toLowerCase());
  const out: string[] = [];
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    if (included && !included.includes(lower)) continue;
    if (excluded?.includes(lower)) continue;
    if (scope === "KEY" || scope === "ALL") out.push(name);
    if (scope !== "KEY") out.push(value);
  }
  return out;
}

function collectJson(value: unknown, scope: unknown, out: string[]): void {
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value as Obj)) {
      if (!Array.isArray(value) && scope !== "VALUE") out.push(key);
      collectJson(child, scope, out);
    }
  } else if (scope !== "KEY") {
    out.push(value === null ? "null" : String(value));
  }
}

function jsonPointer(root: unknown, pointer: string): unknown {
  if (pointer === "" || pointer === "/") return root;
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Obj)[key];
  }
  return node;
}

function jsonBodyExtractor(spec: Obj): FieldExtractor {
  const scope = spec.MatchScope ?? "ALL";
  const paths = ((spec.MatchPattern as Obj | undefined)?.IncludedPaths as string[] | undefined) ?? undefined;
  const invalid = spec.InvalidFallbackBehavior;
  const oversize = oversizeVerdict(spec.OversizeHandling);
  return (ctx) => {
    if (ctx.req.body.length === 0) return [];
    if (ctx.bodyIsOversize() && oversize !== undefined) return oversize;
    let parsed: unknown;
    try {
      parsed = JSON.parse(ctx.body());
    } catch {
      if (invalid === "MATCH") return true;
      if (invalid === "NO_MATCH") return false;
      return [ctx.body()]; // EVALUATE_AS_STRING, and AWS's behaviour when unset is close to it.
    }
    const out: string[] = [];
    if (paths) for (const path of paths) collectJson(jsonPointer(parsed, path), scope, out);
    else collectJson(parsed, scope, out);
    return out;
  };
}

/**
 * Compiles a FieldToMatch. Unsupported parts (JA3/JA4 fingerprints, header order, URI fragment) are
 * reported through `notEmulated` and then inspect nothing.
 */
export function compileFieldToMatch(
  field: unknown,
  where: string,
  notEmulated: (what: string) => void,
): FieldExtractor {
  if (!field || typeof field !== "object") throw new WafConfigError(`${where}: FieldToMatch is missing`);
  const [kind, raw] = Object.entries(field as Obj)[0] ?? [];
  const spec = (raw ?? {}) as Obj;
  switch (kind) {
    case "UriPath":
      return (ctx) => [ctx.req.uri];
    case "QueryString":
      return (ctx) => [ctx.req.queryString];
    case "Method":
      return (ctx) => [ctx.req.method];
    case "SingleHeader": {
      const name = String(spec.Name ?? "").toLowerCase();
      return (ctx) => {
        const value = ctx.header(name);
        return value === undefined ? [] : [value];
      };
    }
    case "SingleQueryArgument": {
      const name = String(spec.Name ?? "").toLowerCase();
      return (ctx) => ctx.queryArguments().flatMap(([k, v]) => (k.toLowerCase() === name ? [v] : []));
    }
    case "AllQueryArguments":
      return (ctx) => ctx.queryArguments().map(([, v]) => v);
    case "Body": {
      const oversize = oversizeVerdict(spec.OversizeHandling);
      return (ctx) => (ctx.bodyIsOversize() && oversize !== undefined ? oversize : [ctx.body()]);
    }
    case "JsonBody":
      return jsonBodyExtractor(spec);
    case "Headers": {
      const pattern = spec.MatchPattern as Obj | undefined;
      return (ctx) =>
        pickPairs(ctx.headers(), pattern, "IncludedHeaders", "ExcludedHeaders", spec.MatchScope ?? "ALL");
    }
    case "Cookies": {
      const pattern = spec.MatchPattern as Obj | undefined;
      return (ctx) =>
        pickPairs(ctx.cookies(), pattern, "IncludedCookies", "ExcludedCookies", spec.MatchScope ?? "ALL");
    }
    default:
      notEmulated(
        `${where}: FieldToMatch ${kind ?? "(empty)"} is not emulated; the statement inspects nothing`,
      );
      return () => [];
  }
}
