// Composition of the Cognito emulator: one Express app serving every pool (hosted UI, OAuth, JWKS, JSON API).

import type { RequestListener } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import { type Clock, systemClock } from "../shared/clock.js";
import { type Logger, silentLogger } from "../shared/log.js";
import type { CognitoUserPoolConfig } from "./config.js";
import { hostedUiRouter } from "./hostedUi.js";
import { errorPage } from "./html.js";
import { JSON_API_BODY_LIMIT, jsonApiHandler } from "./jsonApi.js";
import { oauthRouter } from "./oauth.js";
import { operations } from "./operations/index.js";
import { CognitoRuntime } from "./runtime.js";
import type { InvokeFunction } from "./triggers.js";
import { jwksOf, wellKnownRouter } from "./wellKnown.js";

/** Path of the local control endpoint listing pending sign-up confirmation codes (no mail is sent locally). */
export const CONFIRMATIONS_PATH = "/_furl/cognito/confirmations";

export interface CognitoEmulatorOptions {
  pools: CognitoUserPoolConfig[];
  /** The kit's state folder; the emulator writes under `<stateDir>/cognito/`. */
  stateDir: string;
  clock?: Clock;
  log?: Logger;
  /** Base URL of this server, e.g. http://127.0.0.1:3001, known after listen. */
  publicUrl: () => string;
  /** Where the hosted UI tells a person to read codes (no mail is sent locally); default: the emulator's list. */
  codesUrl?: () => string;
  /** Told after users, codes or sessions changed (written to the state file). */
  onChange?: () => void;
  /** Runs the pools' Lambda triggers by function ARN. */
  invokeFunction?: InvokeFunction;
  /** Cognito's 5-second limit per trigger attempt; tests shorten it. */
  triggerTimeoutMs?: number;
}

export interface UserSummary {
  poolId: string;
  username: string;
  status: string;
  email?: string;
  emailVerified: boolean;
  enabled: boolean;
  /** Every attribute but `sub`, as Cognito lists them. */
  attributes: Record<string, string>;
  createdAt: string;
}

/** A live hosted UI session, named by the digest of its cookie (the cookie itself is never kept). */
export interface HostedUiSession {
  poolId: string;
  /** The first 16 hex digits of the cookie's SHA-256. */
  id: string;
  username: string;
  authTime: string;
  expiresAt: string;
}

export interface PendingConfirmation {
  poolId: string;
  clientId?: string;
  username: string;
  /** The user's email, handy when email is the username attribute (the username is then a UUID). */
  email?: string;
  code: string;
  /** "forgotPassword" for a password-reset code; absent for a sign-up confirmation code. */
  purpose?: "forgotPassword";
  /** The text a CustomMessage trigger made for it, with the code in place. */
  message?: string;
  expiresAt: string;
}

export interface CognitoEmulator {
  /** The Express app: hosted UI, /oauth2/*, /<poolId>/.well-known/*, and POST / (JSON API). */
  handler: RequestListener;
  /** Infra changed: replaces pools and clients, keeping users and keys of pools that stay. */
  reconfigure(pools: CognitoUserPoolConfig[]): void;
  listUsers(poolId?: string): UserSummary[];
  pendingConfirmations(): PendingConfirmation[];
  jwks(poolId: string): { keys: object[] };
  /** Writes any state still waiting for its coalesced write. */
  flush(): void;
  /** Runs a cognito-idp operation (e.g. `AdminConfirmSignUp`) as an administrator; throws its CognitoError. */
  admin(operation: string, request: Record<string, unknown>): Promise<unknown>;
  sessions(): HostedUiSession[];
  /** Signs the session out of the hosted UI; false when it is gone already. */
  endSession(poolId: string, id: string): boolean;
}

const SESSION_ID_DIGITS = 16;

export function createCognitoEmulator(options: CognitoEmulatorOptions): CognitoEmulator {
  const log = options.log ?? silentLogger;
  const runtime = new CognitoRuntime(
    options.pools,
    options.stateDir,
    options.clock ?? systemClock,
    // The caller scopes the logger ("cognito"); a second child here would print cognito:cognito.
    log,
    options.publicUrl,
    options.onChange,
  );
  if (options.invokeFunction) runtime.invokeFunction = options.invokeFunction;
  if (options.triggerTimeoutMs) runtime.triggerTimeoutMs = options.triggerTimeoutMs;

  const pendingConfirmations = (): PendingConfirmation[] =>
    runtime.allPools().flatMap((pool) =>
      pool.store.confirmations().map((c) => ({
        poolId: pool.config.id,
        ...(c.clientId ? { clientId: c.clientId } : {}),
        username: c.username,
        ...(pool.store.user(c.username)?.attributes.email
          ? { email: pool.store.user(c.username)?.attributes.email }
          : {}),
        code: c.code,
        ...(c.purpose ? { purpose: c.purpose } : {}),
        ...(c.message ? { message: c.message } : {}),
        expiresAt: new Date(c.expiresAt).toISOString(),
      })),
    );

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(
    hostedUiRouter(runtime, {
      codesUrl: options.codesUrl ?? (() => `${options.publicUrl()}${CONFIRMATIONS_PATH}`),
    }),
  );
  app.use(oauthRouter(runtime));
  app.get(CONFIRMATIONS_PATH, (_req, res) => {
    res.set("cache-control", "no-store").json({ confirmations: pendingConfirmations() });
  });
  app.use(wellKnownRouter(runtime));
  app.post("/", express.text({ type: () => true, limit: JSON_API_BODY_LIMIT }), jsonApiHandler(runtime));
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ message: "Not found in the Cognito emulator" });
  });
  // Body-parser failures (oversized or unreadable bodies) and anything unexpected: a clear answer, no stack trace.
  app.use(
    (error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
      const tooLarge = error.type === "entity.too.large";
      const status = tooLarge ? 413 : error.status && error.status < 500 ? error.status : 500;
      if (status >= 500)
        log.error("Cognito emulator request failed", { path: req.path, error: error.message });
      if (res.headersSent) return res.end();
      if (req.path.startsWith("/oauth2/")) {
        return res
          .status(status >= 500 ? 500 : 400)
          .type("application/json;charset=UTF-8")
          .send(JSON.stringify({ error: status >= 500 ? "server_error" : "invalid_request" }));
      }
      if (req.path === "/") {
        return res
          .status(status)
          .type("application/x-amz-json-1.1")
          .send(
            JSON.stringify({
              __type: tooLarge ? "SerializationException" : "InternalErrorException",
              message: tooLarge ? "Request body too large" : "Internal error",
            }),
          );
      }
      res
        .status(status)
        .type("text/html; charset=utf-8")
        .send(
          errorPage(
            tooLarge ? "request_too_large" : "server_error",
            tooLarge ? "The submitted form is too large." : undefined,
          ),
        );
    },
  );

  return {
    handler: app as unknown as RequestListener,
    reconfigure: (pools) => runtime.configure(pools),
    listUsers: (poolId) =>
      runtime
        .allPools()
        .filter((pool) => !poolId || pool.config.id === poolId)
        .flatMap((pool) =>
          pool.store.users().map((u) => ({
            poolId: pool.config.id,
            username: u.username,
            status: u.status,
            ...(u.attributes.email ? { email: u.attributes.email } : {}),
            emailVerified: u.attributes.email_verified === "true",
            enabled: u.enabled,
            attributes: { ...u.attributes },
            createdAt: new Date(u.createdAt).toISOString(),
          })),
        ),
    pendingConfirmations,
    jwks: (poolId) => {
      const pool = runtime.pool(poolId);
      if (!pool) throw new Error(`Unknown user pool ${poolId}`);
      return jwksOf(pool);
    },
    flush: () => runtime.flush(),
    admin: async (operation, request) => {
      const run = operations.get(operation);
      if (!run) throw new Error(`No cognito-idp operation ${operation} in the emulator`);
      return run(runtime, request);
    },
    sessions: () =>
      runtime.allPools().flatMap((pool) =>
        pool.store.sessionsByDigest().map(([key, s]) => ({
          poolId: pool.config.id,
          id: key.slice(0, SESSION_ID_DIGITS),
          username: s.username,
          authTime: new Date(s.authTime * 1000).toISOString(),
          expiresAt: new Date(s.expiresAt).toISOString(),
        })),
      ),
    endSession: (poolId, id) => {
      const store = runtime.pool(poolId)?.store;
      if (!store || id.length !== SESSION_ID_DIGITS) return false;
      const found = store.sessionsByDigest().find(([key]) => key.startsWith(id));
      return found ? store.deleteSessionByDigest(found[0]) : false;
    },
  };
}
