// Resolves CloudFormation intrinsic functions and dynamic references against local physical ids.

/** Thrown for a template construct the kit cannot resolve; names where it was met. */
export class TemplateResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateResolveError";
  }
}

/** What the resolver asks of the local deployment. */
export interface ResolveScope {
  /** `Ref` of a resource, a template parameter or a pseudo parameter. */
  ref(logicalId: string): string | undefined;
  /** `Fn::GetAtt` of a resource. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** `{{resolve:<service>:<reference>}}` inside a string. */
  dynamicReference(service: string, reference: string): string;
  /** Evaluates a named template condition. */
  condition(name: string): boolean;
  /** The template's `Mappings` section entry `name` (for `Fn::FindInMap`); undefined when absent. */
  mapping?(name: string): Record<string, Record<string, unknown>> | undefined;
  /** `Fn::ImportValue`: the value another stack of the same app exports under `name`. */
  importValue?(name: string): unknown;
}

/** Marks a property that `Ref: AWS::NoValue` removed. */
const NO_VALUE = Symbol("AWS::NoValue");

const DYNAMIC_REFERENCE = /\{\{resolve:([a-z-]+):([^}]+)\}\}/g;

/** Resolves every intrinsic in `value`, returning plain JSON. */
export function resolveValue(value: unknown, scope: ResolveScope, path = "$"): unknown {
  const out = resolveInner(value, scope, path);
  return out === NO_VALUE ? undefined : out;
}

function resolveInner(value: unknown, scope: ResolveScope, path: string): unknown {
  if (typeof value === "string") return resolveDynamicReferences(value, scope);
  if (Array.isArray(value)) {
    return value
      .map((item, i) => resolveInner(item, scope, `${path}[${i}]`))
      .filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0]!;
    // `{ "Condition": "Name" }` names a condition (inside Fn::And/Or/Not); an object under that key is data.
    if (key === "Ref" || key.startsWith("Fn::") || (key === "Condition" && typeof arg === "string")) {
      return resolveFunction(key, arg, scope, path);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const resolved = resolveInner(item, scope, `${path}.${key}`);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function resolveDynamicReferences(text: string, scope: ResolveScope): string {
  if (!text.includes("{{resolve:")) return text;
  return text.replace(DYNAMIC_REFERENCE, (_, service: string, reference: string) =>
    scope.dynamicReference(service, reference),
  );
}

function asString(value: unknown, what: string, path: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new TemplateResolveError(
    `${what} at ${path} resolved to ${JSON.stringify(value)}, expected a string`,
  );
}

function asBoolean(value: unknown, what: string, path: string): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw new TemplateResolveError(`${what} at ${path}: ${JSON.stringify(value)} is not a condition`);
}

function comparable(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : JSON.stringify(value);
}

function pair(arg: unknown, name: string, path: string): [unknown, unknown] {
  if (!Array.isArray(arg) || arg.length !== 2) {
    throw new TemplateResolveError(`${name} at ${path} needs a list of two`);
  }
  return arg as [unknown, unknown];
}

/**
 * `Fn::FindInMap [map, top key, second key]`, with the `AWS::LanguageExtensions` form's optional fourth
 * `{ DefaultValue }` used when a key is missing.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-findinmap-enhancements.html
 */
function findInMap(arg: unknown, scope: ResolveScope, path: string, at: string): unknown {
  if (!Array.isArray(arg) || arg.length < 3 || arg.length > 4) {
    throw new TemplateResolveError(`Fn::FindInMap at ${path} needs [map, top-level key, second-level key]`);
  }
  const [mapName, topKey, secondKey] = arg
    .slice(0, 3)
    .map((part) => asString(resolveInner(part, scope, at), "Fn::FindInMap key", at)) as [
    string,
    string,
    string,
  ];
  const fallback = arg[3] as { DefaultValue?: unknown } | undefined;
  const map = scope.mapping?.(mapName);
  if (!map) throw new TemplateResolveError(`Fn::FindInMap at ${path}: no mapping named "${mapName}"`);
  const top = Object.hasOwn(map, topKey) ? map[topKey] : undefined;
  const value = top && Object.hasOwn(top, secondKey) ? top[secondKey] : undefined;
  if (value !== undefined) return value;
  if (fallback && typeof fallback === "object" && "DefaultValue" in fallback) {
    return resolveInner(fallback.DefaultValue, scope, at);
  }
  throw new TemplateResolveError(
    `Fn::FindInMap at ${path}: mapping "${mapName}" has no ${top ? `"${topKey}"."${secondKey}"` : `key "${topKey}"`}`,
  );
}

function resolveFunction(name: string, arg: unknown, scope: ResolveScope, path: string): unknown {
  const at = `${path}.${name}`;
  switch (name) {
    case "Ref": {
      if (arg === "AWS::NoValue") return NO_VALUE;
      const id = asString(arg, "Ref", at);
      const value = scope.ref(id);
      if (value === undefined) throw new TemplateResolveError(`Ref to unknown "${id}" at ${path}`);
      return value;
    }
    case "Fn::GetAtt": {
      const [logicalId, attribute] = Array.isArray(arg)
        ? (arg as unknown[]).map((part) => asString(resolveInner(part, scope, at), "Fn::GetAtt", at))
        : asString(arg, "Fn::GetAtt", at).split(/\.(.+)/);
      return scope.getAtt(logicalId!, attribute!);
    }
    case "Fn::Join": {
      const [separator, items] = pair(arg, "Fn::Join", path);
      const delimiter = asString(resolveInner(separator, scope, at), "Fn::Join delimiter", at);
      const list = resolveInner(items, scope, at);
      if (!Array.isArray(list)) throw new TemplateResolveError(`Fn::Join at ${path} needs a list`);
      // CloudFormation resolves dynamic references after intrinsics, so a joined `{{resolve:...}}` counts too.
      return resolveDynamicReferences(
        list.map((item) => asString(item, "Fn::Join item", at)).join(delimiter),
        scope,
      );
    }
    case "Fn::Sub": {
      const [template, variables] =
        typeof arg === "string" ? [arg, {}] : (arg as [unknown, Record<string, unknown> | undefined]);
      if (typeof template !== "string") throw new TemplateResolveError(`Fn::Sub at ${path} needs a string`);
      const vars = resolveInner(variables ?? {}, scope, at) as Record<string, unknown>;
      // One pass, so a substituted value is never scanned again; `${!Literal}` is written as `${Literal}`.
      const text = template.replace(/\$\{(!?)([^}]*)\}/g, (_, bang: string, name: string) => {
        if (bang) return `\${${name}}`;
        const ref = name.trim();
        if (Object.hasOwn(vars, ref)) return asString(vars[ref], `Fn::Sub \${${ref}}`, at);
        const [id, attribute] = ref.split(/\.(.+)/);
        const value = attribute ? scope.getAtt(id!, attribute) : scope.ref(ref);
        if (value === undefined) throw new TemplateResolveError(`Fn::Sub names unknown "${ref}" at ${path}`);
        return asString(value, `Fn::Sub \${${ref}}`, at);
      });
      return resolveDynamicReferences(text, scope);
    }
    case "Fn::Select": {
      const [index, items] = pair(arg, "Fn::Select", path);
      const list = resolveInner(items, scope, at);
      const rawIndex = resolveInner(index, scope, at);
      const i = typeof rawIndex === "string" && rawIndex.trim() !== "" ? Number(rawIndex) : rawIndex;
      if (!Array.isArray(list)) throw new TemplateResolveError(`Fn::Select at ${path} needs a list`);
      if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= list.length) {
        throw new TemplateResolveError(
          `Fn::Select at ${path}: index ${JSON.stringify(rawIndex)} out of range for ${list.length} items`,
        );
      }
      // AWS: "the list must not be null, nor can it have null entries".
      if (list[i] === null || list[i] === undefined) {
        throw new TemplateResolveError(`Fn::Select at ${path}: item ${i} is null`);
      }
      return list[i];
    }
    case "Fn::Split": {
      const [separator, source] = pair(arg, "Fn::Split", path);
      const delimiter = asString(resolveInner(separator, scope, at), "Fn::Split delimiter", at);
      if (delimiter === "") throw new TemplateResolveError(`Fn::Split at ${path}: empty delimiter`);
      // Every occurrence splits, so adjacent delimiters give empty strings ("a||b" -> ["a", "", "b"]).
      return asString(resolveInner(source, scope, at), "Fn::Split source", at).split(delimiter);
    }
    case "Fn::Base64":
      return Buffer.from(asString(resolveInner(arg, scope, at), "Fn::Base64", at)).toString("base64");
    case "Fn::GetAZs": {
      const region = asString(resolveInner(arg, scope, at), "Fn::GetAZs", at) || scope.ref("AWS::Region");
      return ["a", "b", "c"].map((zone) => `${region}${zone}`);
    }
    case "Fn::FindInMap":
      return findInMap(arg, scope, path, at);
    case "Fn::ImportValue": {
      const name = asString(resolveInner(arg, scope, at), "Fn::ImportValue", at);
      if (!scope.importValue) {
        throw new TemplateResolveError(`Fn::ImportValue "${name}" at ${path}: no other stack to import from`);
      }
      const value = scope.importValue(name);
      if (value === undefined) {
        throw new TemplateResolveError(
          `Fn::ImportValue at ${path}: no stack of this app exports "${name}" (Outputs.*.Export.Name)`,
        );
      }
      return value;
    }
    case "Fn::If": {
      if (!Array.isArray(arg) || arg.length !== 3) {
        throw new TemplateResolveError(`Fn::If at ${path} needs [condition, value if true, value if false]`);
      }
      const [condition, whenTrue, whenFalse] = arg as [unknown, unknown, unknown];
      const chosen = scope.condition(asString(condition, "Fn::If condition", at)) ? whenTrue : whenFalse;
      return resolveInner(chosen, scope, at);
    }
    case "Fn::Equals": {
      const [a, b] = pair(arg, "Fn::Equals", path).map((item) => resolveInner(item, scope, at));
      // Parameter values arrive as strings: "1" equals 1, "true" equals true, as CloudFormation compares them.
      return comparable(a) === comparable(b);
    }
    case "Fn::Not": {
      if (!Array.isArray(arg) || arg.length !== 1) {
        throw new TemplateResolveError(`Fn::Not at ${path} needs a list of one condition`);
      }
      return !asBoolean(resolveInner(arg[0], scope, at), "Fn::Not", at);
    }
    case "Fn::And":
    case "Fn::Or": {
      if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10) {
        throw new TemplateResolveError(`${name} at ${path} needs 2 to 10 conditions`);
      }
      const values = arg.map((item, i) => asBoolean(resolveInner(item, scope, `${at}[${i}]`), name, at));
      return name === "Fn::And" ? values.every(Boolean) : values.some(Boolean);
    }
    case "Fn::Length": {
      const list = resolveInner(arg, scope, at);
      if (!Array.isArray(list)) throw new TemplateResolveError(`Fn::Length at ${path} needs a list`);
      return list.length;
    }
    case "Fn::ToJsonString":
      return JSON.stringify(resolveInner(arg, scope, at));
    case "Condition":
      return scope.condition(asString(arg, "Condition", at));
    default:
      throw new TemplateResolveError(`${name} at ${path} is not supported by furl-kit's template resolver`);
  }
}
