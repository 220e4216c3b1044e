// The emulator's live state: pools with their stores, the client index, pending authorization codes, clock, log.
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/log.js";
import { CodeAttemptLimiter, SignInLockout } from "./attemptLimits.js";
import type { CognitoClientConfig, CognitoUserPoolConfig } from "./config.js";
import { newUuid } from "./ids.js";
import { PoolStore } from "./poolStore.js";
import { issuerOf } from "./tokens.js";
import { type InvokeFunction, TRIGGER_TIMEOUT_MS } from "./triggers.js";

export interface Pool {
  config: CognitoUserPoolConfig;
  store: PoolStore;
}

/** What an authorization code stands for; codes live in memory only (they last 5 minutes). */
export interface AuthCode {
  poolId: string;
  clientId: string;
  redirectUri: string;
  username: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  authTime: number;
  expiresAt: number;
}

export const AUTH_CODE_TTL_MS = 5 * 60_000;
export const SESSION_TTL_MS = 60 * 60_000;
export const CONFIRMATION_TTL_MS = 24 * 60 * 60_000;

export class CognitoRuntime {
  private pools = new Map<string, Pool>();
  private clients = new Map<string, { pool: Pool; client: CognitoClientConfig }>();
  private issuers = new Map<string, Pool>();
  private codes = new Map<string, AuthCode>();
  private issued = 0;
  /** Failed sign-ins per `<poolId>/<username>`, kept across reconfigurations (in memory only). */
  readonly signInLockout: SignInLockout;
  /** Wrong codes per `<poolId>/<username>` and action. */
  readonly codeAttempts: CodeAttemptLimiter;
  /** Runs the pools' Lambda triggers (the kit's runtime for the stack's functions); none: triggers fail. */
  invokeFunction?: InvokeFunction;
  /** Cognito's limit per trigger attempt (5 s on AWS; shorter in tests). */
  triggerTimeoutMs = TRIGGER_TIMEOUT_MS;

  constructor(
    pools: CognitoUserPoolConfig[],
    private readonly stateDir: string,
    readonly clock: Clock,
    readonly log: Logger,
    readonly publicUrl: () => string,
    private readonly onChange?: () => void,
  ) {
    this.signInLockout = new SignInLockout(clock);
    this.codeAttempts = new CodeAttemptLimiter(clock);
    this.configure(pools);
  }

  /** Replaces the pool and client configuration; stores (users, keys) of known pools are kept. */
  configure(configs: CognitoUserPoolConfig[]): void {
    const next = new Map<string, Pool>();
    for (const config of configs) {
      const store =
        this.pools.get(config.id)?.store ??
        new PoolStore(this.stateDir, config.id, this.clock, this.onChange);
      next.set(config.id, { config, store });
    }
    this.pools = next;
    this.clients = new Map();
    this.issuers = new Map();
    for (const pool of next.values()) {
      this.issuers.set(issuerOf(pool.config), pool);
      for (const client of pool.config.clients) this.clients.set(client.clientId, { pool, client });
    }
  }

  allPools(): Pool[] {
    return [...this.pools.values()];
  }

  pool(poolId: string): Pool | undefined {
    return this.pools.get(poolId);
  }

  /** Clients are globally unique, so a client id also names its pool. */
  client(clientId: string): { pool: Pool; client: CognitoClientConfig } | undefined {
    return this.clients.get(clientId);
  }

  poolByIssuer(issuer: string): Pool | undefined {
    return this.issuers.get(issuer);
  }

  issueCode(code: Omit<AuthCode, "expiresAt">): string {
    const now = this.clock.now();
    // Sweep expired codes now and then, not on every insert (the map can hold thousands under load).
    if (++this.issued % 512 === 0)
      for (const [key, c] of this.codes) if (c.expiresAt <= now) this.codes.delete(key);
    const id = newUuid();
    this.codes.set(id, { ...code, expiresAt: now + AUTH_CODE_TTL_MS });
    return id;
  }

  /** Returns and deletes the code: a code is spent by its first redemption attempt, right or wrong. */
  takeCode(id: string): AuthCode | undefined {
    const code = this.codes.get(id);
    if (!code) return undefined;
    this.codes.delete(id);
    return code.expiresAt > this.clock.now() ? code : undefined;
  }

  flush(): void {
    for (const pool of this.pools.values()) pool.store.flush();
  }
}
