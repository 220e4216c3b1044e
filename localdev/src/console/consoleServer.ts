// The kit console at <control>/console: the page, its starting state, live events and the developer's actions.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { CognitoEmulator } from "../cognito/index.js";
import type { LocalDeployment } from "../kit/deployment.js";
import type { FunctionConfig, InvokeResult } from "../lambda/index.js";
import { AwsError } from "../shared/awsError.js";
import type { Logger } from "../shared/log.js";
import type { SynthesizedStack } from "../template/template.js";
import { createEventStream } from "./eventStream.js";
import type { ConsoleHistory } from "./history.js";
import { lazyPageBundle, type PageFiles } from "./pageBundle.js";
import { createSecretMask } from "./secretMask.js";
import { cognitoView, deploymentView, functionViews, wafView } from "./views.js";

export const CONSOLE_PATH = "/console";
const API = `${CONSOLE_PATH}/api`;
const MAX_ACTION_BYTES = 1024 * 1024;

/** What the console reads from (and acts on in) the running kit. */
export interface ConsoleSources {
  deployment(): LocalDeployment;
  stack(): SynthesizedStack;
  endpoints(): Record<string, string>;
  functionConfigs(): FunctionConfig[];
  notEmulated(): string[];
  cognito: Pick<CognitoEmulator, "listUsers" | "pendingConfirmations" | "sessions" | "admin" | "endSession">;
  /** Sends an event straight to a function, as `aws lambda invoke` does. */
  invoke(functionName: string, event: unknown): Promise<InvokeResult>;
}

export interface KitConsole {
  /** Answers `/console` and everything below it. */
  handler: RequestListener;
  /** Users, codes or sessions changed: the pages get Cognito's new state. */
  cognitoChanged(): void;
  /** The kit reloaded the template. */
  deploymentChanged(): void;
  close(): void;
}

/** Cognito actions of the page, as the cognito-idp operations an administrator would call. */
const COGNITO_ACTIONS: Record<string, { operation: string; fields?: string[] }> = {
  confirm: { operation: "AdminConfirmSignUp" },
  disable: { operation: "AdminDisableUser" },
  enable: { operation: "AdminEnableUser" },
  "set-password": { operation: "AdminSetUserPassword", fields: ["Password"] },
  delete: { operation: "AdminDeleteUser" },
};

class ConsoleRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Secret values of the deployment: client secrets, generated secrets, SecureString values. */
export function deploymentSecrets(d: LocalDeployment): string[] {
  return [
    ...d.userPools.flatMap((p) => p.clients.flatMap((c) => (c.clientSecret ? [c.clientSecret] : []))),
    ...Object.values(d.secrets),
    ...d.parameters.filter((p) => p.type === "SecureString").map((p) => p.value),
  ];
}

/** The page's state: everything but the live history. Serialized through the secret mask like the rest. */
export function consoleState(sources: ConsoleSources) {
  const d = sources.deployment();
  const stack = sources.stack();
  return {
    functions: functionViews(d, sources.functionConfigs()),
    cognito: cognitoView(d, {
      users: sources.cognito.listUsers(),
      confirmations: sources.cognito.pendingConfirmations(),
      sessions: sources.cognito.sessions(),
    }),
    deployment: deploymentView(d, stack, sources.endpoints(), sources.notEmulated()),
    waf: wafView(d, stack),
  };
}

export function createKitConsole(options: {
  sources: ConsoleSources;
  history: ConsoleHistory;
  log: Logger;
}): KitConsole {
  const { sources, history, log } = options;
  const mask = createSecretMask(() => deploymentSecrets(sources.deployment()));
  const serialize = (value: unknown) => mask(JSON.stringify(value));
  const events = createEventStream(history, serialize);
  const page = lazyPageBundle(`${CONSOLE_PATH}/`);
  let cognitoTimer: NodeJS.Timeout | undefined;

  const fullState = () => ({
    ...consoleState(sources),
    history: history.snapshot(),
    limits: history.limits,
  });

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = serialize(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    res.end(text);
  };

  async function servePage(res: ServerResponse, path: string): Promise<void> {
    let files: PageFiles;
    try {
      files = await page();
    } catch (error) {
      log.error("console: the page could not be built", { error: (error as Error).message });
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`The console page could not be built: ${(error as Error).message.split("\n")[0]}`);
      return;
    }
    const file = files.get(path === "" ? "index.html" : path);
    if (!file) return json(res, 404, { message: `No console file ${path}` });
    res.writeHead(200, {
      "content-type": file.contentType,
      "cache-control": path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-store",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "content-security-policy":
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
      "referrer-policy": "no-referrer",
    });
    res.end(file.body);
  }

  async function act(req: IncomingMessage, path: string): Promise<unknown> {
    const body = await readJson(req);
    if (path === "invoke") {
      const name = typeof body.functionName === "string" ? body.functionName : "";
      if (!sources.functionConfigs().some((f) => f.name === name))
        throw new ConsoleRequestError(404, `No function ${name || "(none given)"} in this deployment`);
      return { result: await sources.invoke(name, body.event ?? {}) };
    }
    const action = path.startsWith("cognito/") ? path.slice("cognito/".length) : "";
    if (action === "sign-out") {
      const ended = sources.cognito.endSession(String(body.poolId ?? ""), String(body.sessionId ?? ""));
      if (!ended) throw new ConsoleRequestError(404, "No such hosted UI session (it may have ended already)");
      return { signedOut: true };
    }
    const known = Object.hasOwn(COGNITO_ACTIONS, action) ? COGNITO_ACTIONS[action] : undefined;
    if (!known) throw new ConsoleRequestError(404, `No console action ${path}`);
    const request: Record<string, unknown> = { UserPoolId: body.poolId, Username: body.username };
    for (const field of known.fields ?? []) request[field] = body[field.toLowerCase()];
    if (known.operation === "AdminSetUserPassword") request.Permanent = true;
    await sources.cognito.admin(known.operation, request);
    return { done: known.operation };
  }

  const handler: RequestListener = (req, res) => {
    const url = new URL(req.url ?? "/", "http://console");
    const path = url.pathname;
    Promise.resolve()
      .then(async () => {
        checkOrigin(req);
        if (path === CONSOLE_PATH) {
          res.writeHead(302, { location: `${CONSOLE_PATH}/` }).end();
          return;
        }
        if (path.startsWith(`${API}/`)) {
          const route = path.slice(API.length + 1);
          if (req.method === "GET" && route === "state") return json(res, 200, fullState());
          if (req.method === "GET" && route === "events") {
            if (!events.attach(res, { event: "snapshot", data: fullState() }))
              json(res, 503, { message: "Too many console pages are open" });
            return;
          }
          if (req.method !== "POST")
            throw new ConsoleRequestError(405, `${req.method} is not allowed on ${path}`);
          return json(res, 200, await act(req, route));
        }
        if (req.method !== "GET" && req.method !== "HEAD")
          throw new ConsoleRequestError(405, "The console page is read with GET");
        await servePage(res, path.slice(CONSOLE_PATH.length + 1));
      })
      .catch((error: unknown) => {
        if (res.headersSent) return res.destroy();
        if (error instanceof ConsoleRequestError) return json(res, error.status, { message: error.message });
        // The Cognito operations' own errors (UserNotFoundException, InvalidPasswordException, ...).
        if (error instanceof AwsError) return json(res, 400, { message: error.message, type: error.code });
        log.error("console: request failed", { path, error: (error as Error).message });
        json(res, 500, { message: "The console could not answer (see the kit's log)" });
      });
  };

  return {
    handler,
    cognitoChanged() {
      // Sign-ups, logins and token grants each change the store; one update per burst is enough.
      if (cognitoTimer || !events.clients()) return;
      cognitoTimer = setTimeout(() => {
        cognitoTimer = undefined;
        const d = sources.deployment();
        events.broadcast(
          "cognito",
          cognitoView(d, {
            users: sources.cognito.listUsers(),
            confirmations: sources.cognito.pendingConfirmations(),
            sessions: sources.cognito.sessions(),
          }),
        );
      }, 100);
    },
    deploymentChanged() {
      events.broadcast("state", consoleState(sources));
    },
    close() {
      if (cognitoTimer) clearTimeout(cognitoTimer);
      events.close();
    },
  };
}

/**
 * Only the console's own page may act or read: a page on another site (or a DNS-rebound name) must not reach
 * the kit's users through the browser. Requests without Origin (curl, tests) pass the Host check alone.
 */
function checkOrigin(req: IncomingMessage): void {
  const host = req.headers.host ?? "";
  if (!/^(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(host))
    throw new ConsoleRequestError(403, "The console answers on 127.0.0.1 and localhost only");
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`)
    throw new ConsoleRequestError(403, "The console does not answer other sites' pages");
  const site = req.headers["sec-fetch-site"];
  if (req.method !== "GET" && site !== undefined && site !== "same-origin" && site !== "none")
    throw new ConsoleRequestError(403, "The console does not answer other sites' pages");
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers["content-type"] ?? "";
  // A JSON content type cannot be sent cross-site without a CORS preflight, which the console never grants.
  if (!type.startsWith("application/json"))
    throw new ConsoleRequestError(415, "Console actions take a JSON body (content-type: application/json)");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ACTION_BYTES) throw new ConsoleRequestError(413, "The request body is over 1 MiB");
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw new ConsoleRequestError(400, "The request body is not a JSON object");
}
