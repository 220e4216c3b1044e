// Small HTTP helpers for the hosted UI and OAuth endpoints: cookies, single-valued parameters, form bodies.
import type { Request } from "express";

export const FORM_LIMIT = "16kb";
export const FORM_TYPE = "application/x-www-form-urlencoded";

export function cookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A cookie we cannot decode is simply not ours.
    }
  }
  return out;
}

/** Query parameters of the request, parsed without Express's array/object expansion. */
export function queryOf(req: Request): URLSearchParams {
  const q = req.originalUrl.indexOf("?");
  return new URLSearchParams(q < 0 ? "" : req.originalUrl.slice(q + 1));
}

/** True when any parameter appears more than once (OAuth treats that as a malformed request). */
export function hasDuplicates(params: URLSearchParams): boolean {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** The urlencoded form body, or undefined when the content type is not a form. */
export function formOf(req: Request): URLSearchParams | undefined {
  if (!req.is(FORM_TYPE)) return undefined;
  return new URLSearchParams(typeof req.body === "string" ? req.body : "");
}

/** Appends parameters to a registered redirect URI's query (or fragment for the implicit grant). */
export function withParams(
  uri: string,
  params: Record<string, string | undefined>,
  inFragment = false,
): string {
  const extra = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) extra.set(key, value);
  if (inFragment) return `${uri.split("#")[0]}#${extra.toString()}`;
  const url = new URL(uri);
  for (const [key, value] of extra) url.searchParams.append(key, value);
  return url.toString();
}
