// Compiles web ACL rule statements (CloudFormation shape) into closures, once, at start-up.

import { compileCidrs, type GeoLookup, parseIp } from "../../geo/index.js";
import type { Clock } from "../../shared/clock.js";
import { compileFieldToMatch, type FieldExtractor } from "./fieldToMatch.js";
import { RateCounter } from "./rateCounter.js";
import type { RequestContext } from "./requestContext.js";
import { compileTransformations, type Transform } from "./textTransformations.js";
import { WafConfigError } from "./types.js";

export type Matcher = (ctx: RequestContext) => boolean;
type Obj = Record<string, unknown>;

export interface CompileEnv {
  geo: GeoLookup;
  ipSets: Record<string, string[]>;
  clock: Clock;
  maxRateKeys: number;
  rateCounters: RateCounter[];
  notEmulated(line: string): void;
}

const RATE_WINDOWS = new Set([60, 120, 300, 600]);
const WORD_CHAR = /[A-Za-z0-9_]/;
const SQLI =
  /\bunion\b[\s\S]*?\bselect\b|\bselect\b[\s\S]+?\bfrom\b|\b(?:or|and)\b\s+['"]?\w+['"]?\s*=\s*['"]?\w+|'\s*(?:or|and)\s+'|;\s*(?:drop|delete|insert|update)\s|\bsleep\s*\(|\bbenchmark\s*\(|\bwaitfor\s+delay\b/i;
const XSS =
  /<\s*\/?\s*script\b|javascript\s*:|vbscript\s*:|\bon[a-z]+\s*=|<\s*(?:iframe|object|embed|svg|img|body|link|meta|style|base|form)\b|expression\s*\(/i;

function single(statement: unknown, where: string): [string, Obj] {
  if (!statement || typeof statement !== "object") throw new WafConfigError(`${where}: Statement is missing`);
  const entries = Object.entries(statement as Obj);
  if (entries.length !== 1)
    throw new WafConfigError(`${where}: a Statement must hold exactly one statement type`);
  const [kind, body] = entries[0]!;
  return [kind, (body ?? {}) as Obj];
}

/** Applies transformations to each inspected value; true when `test` accepts any of them. */
function inspect(extract: FieldExtractor, transform: Transform, test: (value: string) => boolean): Matcher {
  return (ctx) => {
    const values = extract(ctx);
    if (typeof values === "boolean") return values;
    for (const value of values) if (test(transform(value))) return true;
    return false;
  };
}

function containsWord(value: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const at = value.indexOf(word, from);
    if (at < 0) return false;
    const before = at === 0 ? "" : value[at - 1]!;
    const after = value[at + word.length] ?? "";
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return true;
    from = at + 1;
  }
}

function positional(constraint: unknown, search: string, where: string): (value: string) => boolean {
  switch (constraint ?? "CONTAINS") {
    case "EXACTLY":
      return (v) => v === search;
    case "STARTS_WITH":
      return (v) => v.startsWith(search);
    case "ENDS_WITH":
      return (v) => v.endsWith(search);
    case "CONTAINS":
      return (v) => v.includes(search);
    case "CONTAINS_WORD":
      return (v) => containsWord(v, search);
    default:
      throw new WafConfigError(`${where}: unknown PositionalConstraint ${String(constraint)}`);
  }
}

function compileRegex(source: string, where: string): RegExp {
  // AWS accepts PCRE's inline (?i); JavaScript wants a flag instead.
  const caseless = source.startsWith("(?i)");
  try {
    return new RegExp(caseless ? source.slice(4) : source, caseless ? "i" : "");
  } catch (error) {
    throw new WafConfigError(
      `${where}: RegexString is not a valid regular expression (${(error as Error).message})`,
    );
  }
}

/** First (or last / any) valid IP in a forwarded-IP header, per ForwardedIPConfig. */
function forwardedIps(ctx: RequestContext, headerName: string, position: unknown = "FIRST"): string[] {
  const value = ctx.header(headerName.toLowerCase());
  if (!value) return [];
  const parts = value.split(",").map((p) => p.trim());
  const chosen = position === "LAST" ? parts.slice(-1) : position === "ANY" ? parts : parts.slice(0, 1);
  return chosen.filter((ip) => parseIp(ip) !== undefined);
}

function labelMatcher(scope: unknown, key: string): (label: string) => boolean {
  if (scope === "NAMESPACE") {
    const ns = key.endsWith(":") ? key : `${key}:`;
    return (label) => {
      const labelNs = label.slice(0, label.lastIndexOf(":") + 1);
      return labelNs === ns || labelNs.endsWith(`:${ns}`);
    };
  }
  return (label) => label === key || label.endsWith(`:${key}`);
}

function sizeComparison(operator: string, size: number): ((n: number) => boolean) | undefined {
  switch (operator) {
    case "EQ":
      return (n) => n === size;
    case "NE":
      return (n) => n !== size;
    case "LE":
      return (n) => n <= size;
    case "LT":
      return (n) => n < size;
    case "GE":
      return (n) => n >= size;
    case "GT":
      return (n) => n > size;
    default:
      return undefined;
  }
}

type KeyPart = (ctx: RequestContext) => string | undefined;

function compileCustomKey(
  key: unknown,
  where: string,
  env: CompileEnv,
  forwardedConfig: Obj | undefined,
): KeyPart {
  const [kind, spec] = single(key, `${where}.CustomKeys`);
  const transform = compileTransformations(spec.TextTransformations, (t) =>
    env.notEmulated(`${where}: text transformation ${t} is not emulated (skipped)`),
  );
  const name = String(spec.Name ?? "").toLowerCase();
  switch (kind) {
    case "IP":
      return (ctx) => ctx.req.clientIp;
    case "ForwardedIP":
      return (ctx) => forwardedIps(ctx, String(forwardedConfig?.HeaderName ?? "X-Forwarded-For"))[0];
    case "HTTPMethod":
      return (ctx) => ctx.req.method;
    case "Header":
      return (ctx) => {
        const v = ctx.header(name);
        return v === undefined ? undefined : transform(v);
      };
    case "QueryArgument":
      return (ctx) => {
        const v = ctx.queryArguments().find(([k]) => k.toLowerCase() === name)?.[1];
        return v === undefined ? undefined : transform(v);
      };
    case "QueryString":
      return (ctx) => (ctx.req.queryString ? transform(ctx.req.queryString) : undefined);
    case "UriPath":
      return (ctx) => transform(ctx.req.uri);
    case "Cookie":
      return (ctx) => {
        const v = ctx.cookies().find(([k]) => k.toLowerCase() === name)?.[1];
        return v === undefined ? undefined : transform(v);
      };
    case "LabelNamespace": {
      const inNamespace = labelMatcher("NAMESPACE", String(spec.Namespace ?? ""));
      return (ctx) => {
        const names = ctx.labels.filter(inNamespace);
        return names.length ? names.join("|") : undefined;
      };
    }
    default:
      env.notEmulated(`${where}: rate-based custom key ${kind} is not emulated; requests are not counted`);
      return () => undefined;
  }
}

function compileRateBased(spec: Obj, where: string, env: CompileEnv): Matcher {
  const limit = Number(spec.Limit);
  if (!Number.isInteger(limit) || limit < 10)
    throw new WafConfigError(`${where}: RateBasedStatement.Limit must be an integer >= 10`);
  const windowSec = Number(spec.EvaluationWindowSec ?? 300);
  if (!RATE_WINDOWS.has(windowSec))
    throw new WafConfigError(`${where}: EvaluationWindowSec must be 60, 120, 300 or 600`);
  const scopeDown = spec.ScopeDownStatement
    ? compileStatement(spec.ScopeDownStatement, `${where}.ScopeDown`, env)
    : undefined;
  const counter = new RateCounter(windowSec * 1000, env.maxRateKeys);
  env.rateCounters.push(counter);
  const forwarded = spec.ForwardedIPConfig as Obj | undefined;
  const keyType = spec.AggregateKeyType ?? "IP";
  let keyOf: KeyPart;
  let missingKeyMatches = false;
  switch (keyType) {
    case "IP":
      keyOf = (ctx) => ctx.req.clientIp;
      break;
    case "CONSTANT":
      keyOf = () => "";
      break;
    case "FORWARDED_IP": {
      if (!forwarded?.HeaderName)
        throw new WafConfigError(`${where}: FORWARDED_IP needs ForwardedIPConfig.HeaderName`);
      const header = String(forwarded.HeaderName);
      missingKeyMatches = forwarded.FallbackBehavior === "MATCH";
      keyOf = (ctx) => forwardedIps(ctx, header)[0];
      break;
    }
    case "CUSTOM_KEYS": {
      const parts = ((spec.CustomKeys as unknown[]) ?? []).map((k) =>
        compileCustomKey(k, where, env, forwarded),
      );
      if (parts.length === 0) throw new WafConfigError(`${where}: CUSTOM_KEYS needs CustomKeys`);
      keyOf = (ctx) => {
        let key = "";
        for (const part of parts) {
          const value = part(ctx);
          if (value === undefined) return undefined; // AWS does not count a request missing a key part
          key += `${value}\u0000`;
        }
        return key;
      };
      break;
    }
    default:
      throw new WafConfigError(`${where}: unknown AggregateKeyType ${String(keyType)}`);
  }
  return (ctx) => {
    if (scopeDown && !scopeDown(ctx)) return false;
    const key = keyOf(ctx);
    if (key === undefined) return missingKeyMatches;
    return counter.hit(key, env.clock.now()) > limit;
  };
}

/** Compiles one statement. `where` names the rule for error messages, e.g. `Rule "GeoBlock"`. */
export function compileStatement(statement: unknown, where: string, env: CompileEnv): Matcher {
  const [kind, spec] = single(statement, where);
  const transformsOf = () =>
    compileTransformations(spec.TextTransformations, (t) =>
      env.notEmulated(`${where}: text transformation ${t} is not emulated (skipped)`),
    );
  const fieldOf = () => compileFieldToMatch(spec.FieldToMatch, where, env.notEmulated);
  switch (kind) {
    case "AndStatement":
    case "OrStatement": {
      const parts = ((spec.Statements as unknown[]) ?? []).map((s, i) =>
        compileStatement(s, `${where}.${kind}[${i}]`, env),
      );
      if (parts.length < 2) throw new WafConfigError(`${where}: ${kind} needs at least two Statements`);
      return kind === "AndStatement"
        ? (ctx) => parts.every((p) => p(ctx))
        : (ctx) => parts.some((p) => p(ctx));
    }
    case "NotStatement": {
      const inner = compileStatement(spec.Statement, `${where}.NotStatement`, env);
      return (ctx) => !inner(ctx);
    }
    case "GeoMatchStatement": {
      const codes = new Set((spec.CountryCodes as string[] | undefined) ?? []);
      if (codes.size === 0) throw new WafConfigError(`${where}: GeoMatchStatement needs CountryCodes`);
      const forwarded = spec.ForwardedIPConfig as Obj | undefined;
      if (forwarded) {
        const header = String(forwarded.HeaderName ?? "X-Forwarded-For");
        const fallback = forwarded.FallbackBehavior === "MATCH";
        return (ctx) => {
          const ip = forwardedIps(ctx, header)[0];
          const country = ip === undefined ? undefined : env.geo.country(ip);
          if (country === undefined) return fallback;
          ctx.addLabel(`awswaf:forwardedip:geo:country:${country}`);
          return codes.has(country);
        };
      }
      return (ctx) => {
        const country = ctx.req.country;
        if (!country) return false;
        ctx.addLabel(`awswaf:clientip:geo:country:${country}`);
        return codes.has(country);
      };
    }
    case "IPSetReferenceStatement": {
      const arn = String(spec.Arn ?? "");
      const addresses = env.ipSets[arn];
      if (!addresses) {
        env.notEmulated(`${where}: IP set ${arn} was not provided; the statement matches nothing`);
        return () => false;
      }
      const set = compileCidrs(addresses);
      const forwarded = spec.IPSetForwardedIPConfig as Obj | undefined;
      if (forwarded) {
        const header = String(forwarded.HeaderName ?? "X-Forwarded-For");
        const fallback = forwarded.FallbackBehavior === "MATCH";
        return (ctx) => {
          const ips = forwardedIps(ctx, header, forwarded.Position);
          return ips.length === 0 ? fallback : ips.some((ip) => set.contains(ip));
        };
      }
      return (ctx) => set.contains(ctx.req.clientIp);
    }
    case "ByteMatchStatement": {
      const search =
        spec.SearchString !== undefined
          ? String(spec.SearchString)
          : Buffer.from(String(spec.SearchStringBase64 ?? ""), "base64").toString("latin1");
      return inspect(fieldOf(), transformsOf(), positional(spec.PositionalConstraint, search, where));
    }
    case "RegexMatchStatement": {
      const regex = compileRegex(String(spec.RegexString ?? ""), where);
      return inspect(fieldOf(), transformsOf(), (v) => regex.test(v));
    }
    case "SizeConstraintStatement": {
      const size = Number(spec.Size);
      const test = sizeComparison(String(spec.ComparisonOperator), size);
      if (!test || !Number.isFinite(size))
        throw new WafConfigError(`${where}: SizeConstraintStatement needs ComparisonOperator and Size`);
      return inspect(fieldOf(), transformsOf(), (v) => test(Buffer.byteLength(v)));
    }
    case "XssMatchStatement":
      return inspect(fieldOf(), transformsOf(), (v) => XSS.test(v));
    case "SqliMatchStatement":
      return inspect(fieldOf(), transformsOf(), (v) => SQLI.test(v));
    case "LabelMatchStatement": {
      const test = labelMatcher(spec.Scope, String(spec.Key ?? ""));
      return (ctx) => ctx.hasLabel(test);
    }
    case "RateBasedStatement":
      return compileRateBased(spec, where, env);
    default:
      env.notEmulated(`${where}: ${kind} is not emulated; it matches nothing`);
      return () => false;
  }
}
