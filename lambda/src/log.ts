// Structured JSON log lines with a redaction guard: no secret, code or token ever reaches the log.

/** Level of a log line. */
export type LogLevel = "info" | "warn" | "error";

/** Writes one finished log line; defaults to console.log, which Lambda sends to CloudWatch. */
export type LogWriter = (line: string) => void;

/** Emits JSON log lines. */
export interface Logger {
  /**
   * Writes `{level, msg, ...fields}` as one JSON line.
   * @param sensitive - values (secrets, codes, tokens) to mask wherever they appear in `fields`
   */
  log(level: LogLevel, msg: string, fields: Record<string, unknown>, sensitive?: readonly string[]): void;
}

export const REDACTED = "[REDACTED]";

// Keys whose values are never logged, whatever they hold.
const SENSITIVE_KEY = /secret|token|password|authorization|cookie|^code$|cognitocode|origin-verify|jwt/i;
// A compact JWS/JWE anywhere in a string (Cognito tokens start with a base64url JSON header "eyJ").
const JWT_PATTERN = /eyJ[\w-]*\.[\w-]*\.[\w-]*(\.[\w-]*\.[\w-]*)?/g;
// Very short values would mask ordinary words; real secrets and codes are longer.
const MIN_SENSITIVE_LENGTH = 6;

/** Returns `value` with every sensitive value and JWT-looking string masked. */
export function redactValue(value: unknown, sensitive: readonly string[] = []): unknown {
  if (typeof value === "string") return redactString(value, sensitive);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, sensitive));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redactValue(item, sensitive);
    }
    return out;
  }
  return value;
}

function redactString(text: string, sensitive: readonly string[]): string {
  let out = text.replace(JWT_PATTERN, REDACTED);
  for (const secret of sensitive) {
    if (secret.length >= MIN_SENSITIVE_LENGTH) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Creates a logger that writes one redacted JSON line per call.
 * @example createLogger().log("info", "request finished", { status: 200 }, [clientSecret])
 */
export function createLogger(write: LogWriter = (line) => console.log(line)): Logger {
  return {
    log(level, msg, fields, sensitive = []) {
      const safe = redactValue({ ...fields, level, msg }, sensitive) as Record<string, unknown>;
      // level and msg first so lines read well in CloudWatch.
      write(JSON.stringify({ level: safe.level, msg: safe.msg, ...safe }));
    },
  };
}
