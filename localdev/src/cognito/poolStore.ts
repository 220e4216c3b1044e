// One pool's persistent state (keys, users, confirmation codes, sessions, refresh tokens) in one JSON file.
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Clock } from "../shared/clock.js";
import { readJsonFile, writeJsonFileAtomic } from "../shared/stateFile.js";
import { generateStoredKey, loadKey, type PoolKeys, type StoredKey } from "./keys.js";

export type UserStatus = "UNCONFIRMED" | "CONFIRMED" | "FORCE_CHANGE_PASSWORD";

export interface StoredUser {
  username: string;
  sub: string;
  status: UserStatus;
  enabled: boolean;
  /** Standard and custom attributes as Cognito returns them (strings), without `sub`. */
  attributes: Record<string, string>;
  passwordHash?: string;
  groups: string[];
  createdAt: number;
  updatedAt: number;
}

export interface StoredConfirmation {
  clientId?: string;
  username: string;
  code: string;
  expiresAt: number;
  /** What the code proves; absent means a sign-up confirmation. One code per user at a time. */
  purpose?: "forgotPassword";
  /** The text a CustomMessage trigger made for it (with the code in place). */
  message?: string;
}

export interface StoredSession {
  username: string;
  authTime: number;
  expiresAt: number;
}

export interface StoredRefreshToken {
  clientId: string;
  username: string;
  scopes: string[];
  originJti: string;
  authTime: number;
  expiresAt: number;
}

interface PoolState {
  version: 1;
  keys: { access: StoredKey; id: StoredKey; refresh: StoredKey };
  users: Record<string, StoredUser>;
  confirmations: StoredConfirmation[];
  /** Keyed by SHA-256 of the session cookie value, so the file holds nothing a browser could replay. */
  sessions: Record<string, StoredSession>;
  /** Keyed by SHA-256 of the refresh token, for the same reason. */
  refreshTokens: Record<string, StoredRefreshToken>;
  /** origin_jti -> epoch ms after which the entry can be dropped. */
  revokedOriginJtis: Record<string, number>;
}

/** A copy of `entries` in an object without a prototype. */
function dictionary<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** SHA-256 hex: how secrets handed to clients are looked up without being stored. */
export function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export class PoolStore {
  readonly keys: PoolKeys;
  private readonly state: PoolState;
  private readonly path: string;
  private pendingWrite: NodeJS.Timeout | undefined;

  constructor(
    stateDir: string,
    poolId: string,
    private readonly clock: Clock,
    /** Told after every change (users, codes, sessions, tokens), e.g. to refresh the kit's console. */
    private readonly onChange?: () => void,
  ) {
    this.path = join(stateDir, "cognito", `${poolId}.json`);
    const loaded = readJsonFile<PoolState | undefined>(this.path, undefined);
    const state = loaded ?? {
      version: 1,
      keys: { access: generateStoredKey(), id: generateStoredKey(), refresh: generateStoredKey() },
      users: {},
      confirmations: [],
      sessions: {},
      refreshTokens: {},
      revokedOriginJtis: {},
    };
    // Keyed by what clients send (usernames): without a prototype, `__proto__` is just another key.
    this.state = {
      ...state,
      users: dictionary(state.users),
      sessions: dictionary(state.sessions),
      refreshTokens: dictionary(state.refreshTokens),
      revokedOriginJtis: dictionary(state.revokedOriginJtis),
    };
    this.keys = {
      access: loadKey(this.state.keys.access),
      id: loadKey(this.state.keys.id),
      refresh: loadKey(this.state.keys.refresh),
    };
    if (!loaded) this.save();
  }

  // Users

  users(): StoredUser[] {
    return Object.values(this.state.users);
  }

  user(username: string): StoredUser | undefined {
    return Object.hasOwn(this.state.users, username) ? this.state.users[username] : undefined;
  }

  userByEmail(email: string): StoredUser | undefined {
    const wanted = email.toLowerCase();
    return this.users().find((u) => u.attributes.email?.toLowerCase() === wanted);
  }

  /** Saves a new or changed user at once: sign-ups must survive a crash. */
  putUser(user: StoredUser): void {
    this.state.users[user.username] = user;
    this.save();
  }

  deleteUser(username: string): void {
    delete this.state.users[username];
    this.state.confirmations = this.state.confirmations.filter((c) => c.username !== username);
    for (const [key, session] of Object.entries(this.state.sessions)) {
      if (session.username === username) delete this.state.sessions[key];
    }
    for (const [key, token] of Object.entries(this.state.refreshTokens)) {
      if (token.username === username) delete this.state.refreshTokens[key];
    }
    this.save();
  }

  // Confirmation codes

  confirmations(): StoredConfirmation[] {
    const now = this.clock.now();
    return this.state.confirmations.filter((c) => c.expiresAt > now);
  }

  putConfirmation(confirmation: StoredConfirmation): void {
    this.state.confirmations = [
      ...this.state.confirmations.filter((c) => c.username !== confirmation.username),
      confirmation,
    ];
    this.save();
  }

  confirmation(username: string): StoredConfirmation | undefined {
    return this.state.confirmations.find((c) => c.username === username);
  }

  deleteConfirmation(username: string): void {
    this.state.confirmations = this.state.confirmations.filter((c) => c.username !== username);
    this.save();
  }

  // Hosted UI sessions

  putSession(sessionId: string, session: StoredSession): void {
    this.state.sessions[digest(sessionId)] = session;
    this.saveSoon();
  }

  session(sessionId: string): StoredSession | undefined {
    const session = this.state.sessions[digest(sessionId)];
    return session && session.expiresAt > this.clock.now() ? session : undefined;
  }

  /** Sign-out is on disk before it is answered: a crash must not bring a session back. */
  deleteSession(sessionId: string): void {
    const key = digest(sessionId);
    // A sign-out with an unknown cookie changes nothing, so it costs no write.
    if (!Object.hasOwn(this.state.sessions, key)) return;
    delete this.state.sessions[key];
    this.save();
  }

  /** Live sessions by the digest of their cookie (the cookie itself is never stored). */
  sessionsByDigest(): [string, StoredSession][] {
    const now = this.clock.now();
    return Object.entries(this.state.sessions).filter(([, s]) => s.expiresAt > now);
  }

  /** Ends a session named by its digest; false when there is none. */
  deleteSessionByDigest(key: string): boolean {
    if (!Object.hasOwn(this.state.sessions, key)) return false;
    delete this.state.sessions[key];
    this.save();
    return true;
  }

  /** Ends the user's hosted UI sessions and revokes their refresh tokens (a disabled user keeps none). */
  signOutEverywhere(username: string): void {
    for (const [key, session] of Object.entries(this.state.sessions)) {
      if (session.username === username) delete this.state.sessions[key];
    }
    for (const [key, token] of Object.entries(this.state.refreshTokens)) {
      if (token.username !== username) continue;
      this.state.revokedOriginJtis[token.originJti] = token.expiresAt;
      delete this.state.refreshTokens[key];
    }
    this.save();
  }

  // Refresh tokens and revocation

  putRefreshToken(token: string, record: StoredRefreshToken): void {
    this.state.refreshTokens[digest(token)] = record;
    this.saveSoon();
  }

  refreshToken(token: string): StoredRefreshToken | undefined {
    const record = this.state.refreshTokens[digest(token)];
    return record && record.expiresAt > this.clock.now() ? record : undefined;
  }

  /** The live refresh token and its enabled user, when the token was issued to `clientId`. */
  refreshGrant(
    token: string,
    clientId: string,
  ): { record: StoredRefreshToken; user: StoredUser } | undefined {
    const record = this.refreshToken(token);
    const user = record && record.clientId === clientId ? this.user(record.username) : undefined;
    return record && user?.enabled ? { record, user } : undefined;
  }

  /** Revokes the refresh token and every access/ID token issued from the same authentication. */
  revokeRefreshToken(token: string): boolean {
    const key = digest(token);
    const record = this.state.refreshTokens[key];
    if (!record) return false;
    delete this.state.refreshTokens[key];
    this.state.revokedOriginJtis[record.originJti] = record.expiresAt;
    // Written before the answer: a revoked token must stay revoked after a crash and restart.
    this.save();
    return true;
  }

  isRevoked(originJti: string): boolean {
    return Object.hasOwn(this.state.revokedOriginJtis, originJti);
  }

  // Persistence

  /** Writes now (atomic rename), dropping expired entries first. */
  save(): void {
    if (this.pendingWrite) clearTimeout(this.pendingWrite);
    this.pendingWrite = undefined;
    this.prune();
    writeJsonFileAtomic(this.path, this.state);
    this.onChange?.();
  }

  /**
   * Coalesces frequent additions (new sessions, new refresh tokens) into one write per quarter second;
   * flush() forces it. Only what is safe to lose in a crash goes this way: a lost session or refresh
   * token means signing in again. Removals and everything else a client is told happened use save().
   */
  saveSoon(): void {
    if (this.pendingWrite) return;
    this.pendingWrite = setTimeout(() => this.save(), 250);
    this.pendingWrite.unref();
  }

  flush(): void {
    if (this.pendingWrite) this.save();
  }

  private prune(): void {
    const now = this.clock.now();
    this.state.confirmations = this.state.confirmations.filter((c) => c.expiresAt > now);
    for (const [key, s] of Object.entries(this.state.sessions))
      if (s.expiresAt <= now) delete this.state.sessions[key];
    for (const [key, t] of Object.entries(this.state.refreshTokens))
      if (t.expiresAt <= now) delete this.state.refreshTokens[key];
    for (const [jti, until] of Object.entries(this.state.revokedOriginJtis))
      if (until <= now) delete this.state.revokedOriginJtis[jti];
  }
}
