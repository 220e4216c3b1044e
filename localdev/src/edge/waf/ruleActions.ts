// Rule actions (Allow, Block, Count, CAPTCHA, Challenge) and custom responses, compiled from the web ACL.
import type { WafResponse } from "./types.js";
import { WafConfigError } from "./types.js";

type Obj = Record<string, unknown>;

export interface CompiledAction {
  kind: "ALLOW" | "BLOCK" | "COUNT";
  /** For BLOCK. */
  response?: WafResponse;
  /** Custom request handling of Allow/Count: headers for the origin request. */
  insertHeaders?: Record<string, string>;
}

const CONTENT_TYPES: Record<string, string> = {
  TEXT_PLAIN: "text/plain",
  TEXT_HTML: "text/html",
  APPLICATION_JSON: "application/json",
};

export type CustomResponseBodies = Record<string, { ContentType?: string; Content?: string }>;

function insertHeaders(handling: unknown): Record<string, string> | undefined {
  const list = (handling as Obj | undefined)?.InsertHeaders as
    | Array<{ Name?: string; Value?: string }>
    | undefined;
  if (!list?.length) return undefined;
  // AWS prefixes inserted request headers so they cannot collide with the viewer's.
  return Object.fromEntries(
    list.map((h) => [`x-amzn-waf-${String(h.Name).toLowerCase()}`, String(h.Value ?? "")]),
  );
}

function blockResponse(custom: Obj | undefined, bodies: CustomResponseBodies, where: string): WafResponse {
  if (!custom) return { status: 403, headers: {} };
  const status = Number(custom.ResponseCode ?? 403);
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new WafConfigError(`${where}: CustomResponse.ResponseCode must be an HTTP status code`);
  }
  const headers: Record<string, string> = {};
  for (const h of (custom.ResponseHeaders as Array<{ Name?: string; Value?: string }> | undefined) ?? []) {
    headers[String(h.Name)] = String(h.Value ?? "");
  }
  const key = custom.CustomResponseBodyKey as string | undefined;
  if (key === undefined) return { status, headers, body: "" };
  const body = bodies[key];
  if (!body)
    throw new WafConfigError(
      `${where}: CustomResponseBodyKey "${key}" is not in the web ACL's CustomResponseBodies`,
    );
  return {
    status,
    headers,
    body: String(body.Content ?? ""),
    contentType: CONTENT_TYPES[String(body.ContentType)] ?? "text/plain",
  };
}

/**
 * Compiles an Action / DefaultAction / ActionToUse. CAPTCHA and Challenge are not emulated: they act
 * like Count (as for a viewer holding a valid token) and are reported through `notEmulated`.
 */
export function compileAction(
  action: unknown,
  bodies: CustomResponseBodies,
  where: string,
  notEmulated: (line: string) => void,
): CompiledAction {
  const [kind, spec] = Object.entries((action ?? {}) as Obj)[0] ?? [];
  const body = (spec ?? {}) as Obj;
  switch (kind) {
    case "Allow":
      return { kind: "ALLOW", insertHeaders: insertHeaders(body.CustomRequestHandling) };
    case "Block":
      return {
        kind: "BLOCK",
        response: blockResponse(body.CustomResponse as Obj | undefined, bodies, where),
      };
    case "Count":
      return { kind: "COUNT", insertHeaders: insertHeaders(body.CustomRequestHandling) };
    case "Captcha":
    case "Challenge":
      notEmulated(`${where}: ${kind} action is not emulated; matching requests are counted and continue`);
      return { kind: "COUNT" };
    default:
      throw new WafConfigError(`${where}: Action must be one of Allow, Block, Count, Captcha, Challenge`);
  }
}
