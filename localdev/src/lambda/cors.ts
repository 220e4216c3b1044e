// The Function URL's own CORS: preflight answers from the config, and headers added to every other answer.

export interface CorsSettings {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAge?: number;
}

export type HeaderList = [name: string, value: string][];

/**
 * Reads the CloudFormation `Cors` object; undefined when the URL has no CORS config. Values Lambda's API
 * refuses (API_Cors limits) fail here, with the field named, rather than run a config AWS would not accept.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Cors.html
 */
export function parseCors(raw: Record<string, unknown> | undefined): CorsSettings | undefined {
  if (!raw) return undefined;
  const list = (key: string, maxItems: number, maxLength: number): string[] => {
    const value = raw[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
      throw new Error(`Function URL Cors.${key} must be a list of strings.`);
    }
    if (value.length > maxItems)
      throw new Error(`Function URL Cors.${key} allows at most ${maxItems} items.`);
    const tooLong = value.find((v) => v.length < 1 || v.length > maxLength);
    if (tooLong !== undefined) {
      throw new Error(
        `Function URL Cors.${key} item ${JSON.stringify(tooLong)} must be 1-${maxLength} characters.`,
      );
    }
    return value as string[];
  };
  const maxAge = raw.MaxAge === undefined || raw.MaxAge === null ? undefined : Number(raw.MaxAge);
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 0 && maxAge <= 86_400))
    throw new Error("Function URL Cors.MaxAge must be a whole number of seconds from 0 to 86400.");
  return {
    allowOrigins: list("AllowOrigins", 100, 253),
    // Each method is at most 6 characters, so OPTIONS cannot be listed (preflights are answered anyway).
    allowMethods: list("AllowMethods", 6, 6),
    allowHeaders: list("AllowHeaders", 100, 1024),
    exposeHeaders: list("ExposeHeaders", 100, 1024),
    allowCredentials: raw.AllowCredentials === true || raw.AllowCredentials === "true",
    ...(maxAge !== undefined ? { maxAge } : {}),
  };
}

// "*" is sent literally, also next to other listed origins and with AllowCredentials (observed: "*, https://..."
// when the handler also sets one; a browser then refuses a credentialed request, as it would on AWS); a listed
// origin is echoed ("<origin>, <origin>" next to the handler's). Without a matching Origin no CORS header is
// added (AWS behaviour unconfirmed).
function allowedOrigin(cors: CorsSettings, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (cors.allowOrigins.includes("*")) return "*";
  const wanted = origin.toLowerCase();
  return cors.allowOrigins.find((o) => o.toLowerCase() === wanted) ? origin : undefined;
}

/** Headers of the preflight answer, which the URL gives without invoking the function. */
export function preflightHeaders(cors: CorsSettings, origin: string | undefined): HeaderList {
  const allow = allowedOrigin(cors, origin);
  if (!allow) return [];
  const headers: HeaderList = [["access-control-allow-origin", allow]];
  if (cors.allowMethods.length) headers.push(["access-control-allow-methods", cors.allowMethods.join(",")]);
  if (cors.allowHeaders.length) headers.push(["access-control-allow-headers", cors.allowHeaders.join(",")]);
  if (cors.allowCredentials) headers.push(["access-control-allow-credentials", "true"]);
  if (cors.maxAge !== undefined) headers.push(["access-control-max-age", String(cors.maxAge)]);
  return headers;
}

/** Headers appended to a non-preflight answer (next to any the handler set: not deduplicated, as observed). */
export function responseCorsHeaders(cors: CorsSettings, origin: string | undefined): HeaderList {
  const allow = allowedOrigin(cors, origin);
  if (!allow) return [];
  const headers: HeaderList = [["access-control-allow-origin", allow]];
  if (cors.exposeHeaders.length)
    headers.push(["access-control-expose-headers", cors.exposeHeaders.join(",")]);
  if (cors.allowCredentials) headers.push(["access-control-allow-credentials", "true"]);
  return headers;
}
