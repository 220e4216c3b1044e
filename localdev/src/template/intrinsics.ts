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
    if (key === "Ref" || key.startsWith("Fn::") || key === "Condition") {
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
      const [separator, items] = arg as [string, unknown];
      const list = resolveInner(items, scope, at);
      if (!Array.isArray(list)) throw new TemplateResolveError(`Fn::Join at ${path} needs a list`);
      // CloudFormation resolves dynamic references after intrinsics, so a joined `{{resolve:...}}` counts too.
      return resolveDynamicReferences(
        list.map((item) => asString(item, "Fn::Join item", at)).join(separator),
        scope,
      );
    }
    case "Fn::Sub": {
      const [template, variables] =
        typeof arg === "string" ? [arg, {}] : (arg as [string, Record<string, unknown>]);
      const vars = resolveInner(variables ?? {}, scope, at) as Record<string, unknown>;
      const text = template.replace(/\$\{([^}!]+)\}/g, (_, ref: string) => {
        if (ref in vars) return asString(vars[ref], `Fn::Sub \${${ref}}`, at);
        const [id, attribute] = ref.split(/\.(.+)/);
        const value = attribute ? scope.getAtt(id!, attribute) : scope.ref(ref);
        if (value === undefined) throw new TemplateResolveError(`Fn::Sub names unknown "${ref}" at ${path}`);
        return asString(value, `Fn::Sub \${${ref}}`, at);
      });
      return resolveDynamicReferences(text.replace(/\$\{!/g, "${"), scope);
    }
    case "Fn::Select": {
      const [index, items] = arg as [unknown, unknown];
      const list = resolveInner(items, scope, at);
      const i = Number(resolveInner(index, scope, at));
      if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) {
        throw new TemplateResolveError(`Fn::Select at ${path}: index ${i} out of range`);
      }
      return list[i];
    }
    case "Fn::Split": {
      const [separator, source] = arg as [string, unknown];
      return asString(resolveInner(source, scope, at), "Fn::Split source", at).split(separator);
    }
    case "Fn::Base64":
      return Buffer.from(asString(resolveInner(arg, scope, at), "Fn::Base64", at)).toString("base64");
    case "Fn::If": {
      const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
      return resolveInner(scope.condition(condition) ? whenTrue : whenFalse, scope, at);
    }
    case "Fn::Equals": {
      const [a, b] = (arg as unknown[]).map((item) => resolveInner(item, scope, at));
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case "Fn::Not":
      return !(resolveInner((arg as unknown[])[0], scope, at) as boolean);
    case "Fn::And":
      return (arg as unknown[]).every((item) => resolveInner(item, scope, at) === true);
    case "Fn::Or":
      return (arg as unknown[]).some((item) => resolveInner(item, scope, at) === true);
    case "Condition":
      return scope.condition(asString(arg, "Condition", at));
    default:
      throw new TemplateResolveError(`${name} at ${path} is not supported by furl-kit's template resolver`);
  }
}
