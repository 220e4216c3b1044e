// Calls the Lambda through CloudFront and maps every possible answer to what the page shows.
import {
  blockedByEdge,
  blockedMessage,
  networkErrorMessage,
  serverErrorMessage,
  timeoutMessage,
  unexpectedAnswerMessage,
} from "./messages.js";

/** How the page styles an outcome. */
export type OutcomeKind = "success" | "unauthorized" | "blocked" | "error";

/** Result of one "Execute Lambda" click: the alert text, its style, and the username when the call said so. */
export interface ExecuteOutcome {
  kind: OutcomeKind;
  text: string;
  status?: number;
  username?: string;
}

export interface ExecuteOptions {
  apiUrl: string;
  /** The single-use authorization code; omitted for a guest call. */
  code?: string;
  fetchFn: typeof fetch;
  /** Upper bound for the whole call, so the button never stays "Executing…" forever. */
  timeoutMs?: number;
}

export const defaultTimeoutMs = 30_000;

// HTTP/2 responses (CloudFront) carry no reason phrase, so statusText is often empty.
const reasonPhrases: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

interface AnswerBody {
  message?: string;
  username?: string;
  blocked?: boolean;
}

async function readJsonBody(response: Response): Promise<AnswerBody | undefined> {
  try {
    const body: unknown = JSON.parse(await response.text());
    if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
    const raw = body as Record<string, unknown>;
    return {
      message: typeof raw.message === "string" && raw.message !== "" ? raw.message : undefined,
      username: typeof raw.username === "string" && raw.username !== "" ? raw.username : undefined,
      blocked: raw.blocked === true,
    };
  } catch {
    return undefined;
  }
}

function hostOf(apiUrl: string): string {
  try {
    return new URL(apiUrl).host;
  } catch {
    return apiUrl;
  }
}

/** Maps a received HTTP answer to the outcome the page shows. */
export async function outcomeOfResponse(response: Response): Promise<ExecuteOutcome> {
  const status = response.status;
  const body = await readJsonBody(response);
  const message = body?.message;
  if ((status === 200 || status === 401) && message) {
    const outcome: ExecuteOutcome = {
      kind: status === 200 ? "success" : "unauthorized",
      text: message,
      status,
    };
    if (status === 200 && body?.username) outcome.username = body.username;
    return outcome;
  }
  if (status === 403) {
    // Only the WAF custom response says blocked:true; anything else is CloudFront's page or the bypass guard.
    const text = body?.blocked && message ? blockedMessage(message) : blockedByEdge;
    return { kind: "blocked", text, status };
  }
  const detail = message ?? (response.statusText || reasonPhrases[status] || "no details");
  if (status >= 500) return { kind: "error", text: serverErrorMessage(status, detail), status };
  return { kind: "error", text: unexpectedAnswerMessage(status, detail), status };
}

/**
 * The call as the browser sends it: a CORS-simple request (POST, a text/plain body, no custom header), so
 * there is no preflight. WAF judges this one request, and its block answer (403 JSON with the CORS header)
 * reaches the page; a preflight WAF blocked would leave the page with an opaque network error instead.
 */
export function lambdaRequest(code: string | undefined, signal?: AbortSignal): RequestInit {
  return {
    method: "POST",
    // A string body makes fetch send Content-Type: text/plain;charset=UTF-8, a CORS-safelisted type.
    body: JSON.stringify(code ? { code } : {}),
    credentials: "omit",
    ...(signal ? { signal } : {}),
  };
}

/**
 * POSTs `{ code }` (signed in) or `{}` (guest), JSON in a CORS-simple request, and maps the outcome.
 * Never throws: network failures and timeouts become "error" outcomes.
 */
export async function executeLambda(options: ExecuteOptions): Promise<ExecuteOutcome> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const host = hostOf(options.apiUrl);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await options.fetchFn(options.apiUrl, lambdaRequest(options.code, controller.signal));
    return await outcomeOfResponse(response);
  } catch {
    if (controller.signal.aborted) {
      return { kind: "error", text: timeoutMessage(host, timeoutMs) };
    }
    return { kind: "error", text: networkErrorMessage(host) };
  } finally {
    clearTimeout(timer);
  }
}
