// AWS WAF text transformations (TextTransformations[].Type), compiled into one function per statement.

export type Transform = (value: string) => string;

// A Map: request text like `&constructor;` must not find an inherited property.
const HTML_ENTITIES = new Map([
  ["quot", '"'],
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["apos", "'"],
  ["nbsp", "\u00a0"],
]);

function urlDecode(value: string): string {
  if (!value.includes("%") && !value.includes("+")) return value;
  return value
    .replace(/\+/g, " ")
    .replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function urlDecodeUni(value: string): string {
  return urlDecode(
    value.replace(/%u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  );
}

function htmlEntityDecode(value: string): string {
  if (!value.includes("&")) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?/g, (whole, entity: string) => {
    if (entity[0] === "#") {
      const code =
        entity[1] === "x" || entity[1] === "X"
          ? Number.parseInt(entity.slice(2), 16)
          : Number(entity.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return HTML_ENTITIES.get(entity.toLowerCase()) ?? whole;
  });
}

function jsDecode(value: string): string {
  return value
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/\\([^ux])/g, "$1");
}

function normalizePath(value: string): string {
  const segments: string[] = [];
  for (const segment of value.replace(/\/{2,}/g, "/").split("/")) {
    if (segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return segments.join("/");
}

const TRANSFORMS: Record<string, Transform> = {
  NONE: (v) => v,
  LOWERCASE: (v) => v.toLowerCase(),
  UPPERCASE: (v) => v.toUpperCase(),
  URL_DECODE: urlDecode,
  URL_DECODE_UNI: urlDecodeUni,
  HTML_ENTITY_DECODE: htmlEntityDecode,
  COMPRESS_WHITE_SPACE: (v) => v.replace(/[\s\f\v]+/g, " "),
  // CMD_LINE: drop \ " ' ^, spaces before / and (, commas/semicolons to spaces, collapse spaces, lowercase.
  CMD_LINE: (v) =>
    v
      .replace(/[\\"'^]/g, "")
      // The lookbehind starts each match at the beginning of a run of spaces: linear, not quadratic.
      .replace(/(?<!\s)\s+(?=[/(])/g, "")
      .replace(/[,;]/g, " ")
      .replace(/\s+/g, " ")
      .toLowerCase(),
  BASE64_DECODE: (v) => Buffer.from(v, "base64").toString("latin1"),
  BASE64_DECODE_EXT: (v) => Buffer.from(v.replace(/[^A-Za-z0-9+/=_-]/g, ""), "base64").toString("latin1"),
  HEX_DECODE: (v) => (/^([0-9a-fA-F]{2})+$/.test(v) ? Buffer.from(v, "hex").toString("latin1") : v),
  JS_DECODE: jsDecode,
  CSS_DECODE: (v) =>
    v.replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_, hex: string) =>
      String.fromCodePoint(Number.parseInt(hex, 16) % 0x110000),
    ),
  ESCAPE_SEQ_DECODE: jsDecode,
  NORMALIZE_PATH: normalizePath,
  NORMALIZE_PATH_WIN: (v) => normalizePath(v.replace(/\\/g, "/")),
  REMOVE_NULLS: (v) => v.replace(/\0/g, ""),
  REPLACE_NULLS: (v) => v.replace(/\0/g, " "),
  REPLACE_COMMENTS: (v) => v.replace(/\/\*[\s\S]*?(\*\/|$)/g, " "),
  SQL_HEX_DECODE: (v) =>
    v.replace(/0x([0-9a-fA-F]{2,})/g, (_, hex: string) =>
      Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex").toString("latin1"),
    ),
  UTF8_TO_UNICODE: (v) => v,
};

/** Transformation types the kit knows; anything else is reported as not emulated and skipped. */
export function isKnownTransform(type: string): boolean {
  return type in TRANSFORMS;
}

/**
 * Compiles `[{Priority, Type}]` into one function applying them in priority order (lowest first).
 * Unknown types are skipped and passed to `onUnknown`.
 */
export function compileTransformations(
  list: unknown,
  onUnknown: (type: string) => void = () => {},
): Transform {
  const steps = (Array.isArray(list) ? (list as Array<{ Priority?: number; Type?: string }>) : [])
    .slice()
    .sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0))
    .map((t) => String(t.Type ?? "NONE"))
    .filter((type) => {
      if (type === "NONE") return false;
      if (isKnownTransform(type)) return true;
      onUnknown(type);
      return false;
    })
    .map((type) => TRANSFORMS[type]!);
  if (steps.length === 0) return (v) => v;
  if (steps.length === 1) return steps[0]!;
  return (value) => {
    let out = value;
    for (const step of steps) out = step(out);
    return out;
  };
}

export { htmlEntityDecode, urlDecode };
