// Hosted UI routes: /oauth2/authorize, /login, /signup, /confirm (+ /resendcode), /forgotPassword,
// /confirmForgotPassword, /logout, /error, with a 1 h session cookie.

import express, { type Request, type Response, Router } from "express";
import { type AuthorizeRequest, validateAuthorize } from "./authorizeRequest.js";
import { maskEmail } from "./codeDelivery.js";
import { emailIsUsername } from "./config.js";
import { CognitoError } from "./errors.js";
import { confirmPage, errorPage, loginPage, PAGE_SCRIPT_SOURCE, signUpPage } from "./html.js";
import { cookies, FORM_LIMIT, FORM_TYPE, formOf, queryOf, withParams } from "./httpUtil.js";
import { newOpaqueToken } from "./ids.js";
import { confirmPasswordReset, resendConfirmation, startPasswordReset } from "./passwordReset.js";
import { passwordRequirements } from "./passwordRules.js";
import type { StoredUser } from "./poolStore.js";
import { confirmForgotPasswordPage, forgotPasswordPage } from "./recoveryPages.js";
import { type CognitoRuntime, SESSION_TTL_MS } from "./runtime.js";
import { issueTokens } from "./tokens.js";
import { customized } from "./triggers.js";
import {
  authenticate,
  checkPassword,
  codeMismatch,
  confirmUser,
  findUser,
  registerUser,
  safeEqual,
  startConfirmation,
} from "./users.js";

const CSRF_COOKIE = "XSRF-TOKEN";
const sessionCookie = (poolId: string) => `cognito-session-${poolId}`;

function sendHtml(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "x-frame-options": "DENY",
      "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; script-src ${PAGE_SCRIPT_SOURCE}; frame-ancestors 'none'`,
    })
    .send(html);
}

export interface HostedUiOptions {
  /** Where a person reads the codes Cognito would mail (the kit's confirmation-codes list). */
  codesUrl?: () => string;
}

/** Notices a page shows after a redirect (`?notice=`), in Cognito's manner. */
const NOTICES: Record<string, string> = {
  unconfirmed:
    "Your account is not confirmed yet. Enter the code we sent by email to confirm it, or resend the code.",
  passwordReset: "Your password has been reset. Sign in with your new password.",
};

export function hostedUiRouter(runtime: CognitoRuntime, options: HostedUiOptions = {}): Router {
  const router = Router();
  const codesUrl = () => options.codesUrl?.();
  const notice = (req: Request) => NOTICES[queryOf(req).get("notice") ?? ""];
  const log = runtime.log.child("hosted-ui");
  const form = express.text({ type: FORM_TYPE, limit: FORM_LIMIT });
  const secure = () => runtime.publicUrl().startsWith("https:");

  const cookieOptions = (maxAgeMs: number) => ({
    httpOnly: true,
    sameSite: "lax" as const,
    path: "/",
    secure: secure(),
    maxAge: maxAgeMs,
  });

  /** The CSRF token bound to this browser (double submit: cookie and form field must match). */
  function csrfToken(req: Request, res: Response): string {
    const existing = cookies(req).get(CSRF_COOKIE);
    if (existing && /^[\w-]{43}$/.test(existing)) return existing;
    const token = newOpaqueToken();
    res.cookie(CSRF_COOKIE, token, cookieOptions(SESSION_TTL_MS));
    return token;
  }

  function csrfValid(req: Request, body: URLSearchParams): boolean {
    const cookie = cookies(req).get(CSRF_COOKIE);
    const field = body.get("_csrf");
    return !!cookie && !!field && safeEqual(cookie, field);
  }

  /** Validates the authorize parameters; answers the error itself and returns undefined when invalid. */
  function authorizeOrAnswer(req: Request, res: Response): AuthorizeRequest | undefined {
    const outcome = validateAuthorize(runtime, queryOf(req));
    if (outcome.kind === "ok") return outcome.request;
    if (outcome.kind === "errorPage") sendHtml(res, outcome.status, errorPage(outcome.error, outcome.detail));
    else res.redirect(302, outcome.location);
    return undefined;
  }

  /** Parses the posted form and checks CSRF; answers the error itself when that fails. */
  function formOrAnswer(req: Request, res: Response): URLSearchParams | undefined {
    const body = formOf(req);
    if (!body) {
      sendHtml(
        res,
        400,
        errorPage("invalid_request", "Forms must be posted as application/x-www-form-urlencoded."),
      );
      return undefined;
    }
    if (!csrfValid(req, body)) {
      sendHtml(
        res,
        403,
        errorPage("invalid_request", "Invalid or missing CSRF token. Reload the page and try again."),
      );
      return undefined;
    }
    return body;
  }

  function startSession(res: Response, areq: AuthorizeRequest, user: StoredUser, authTime: number): void {
    const sessionId = newOpaqueToken();
    areq.pool.store.putSession(sessionId, {
      username: user.username,
      authTime,
      expiresAt: runtime.clock.now() + SESSION_TTL_MS,
    });
    res.cookie(sessionCookie(areq.pool.config.id), sessionId, cookieOptions(SESSION_TTL_MS));
  }

  /** Ends an authorization: 302 to the redirect_uri with ?code= (or #access_token= for the implicit grant). */
  async function finish(
    res: Response,
    areq: AuthorizeRequest,
    user: StoredUser,
    authTime: number,
  ): Promise<void> {
    const { pool, client } = areq;
    if (areq.responseType === "code") {
      const code = runtime.issueCode({
        poolId: pool.config.id,
        clientId: client.clientId,
        redirectUri: areq.redirectUri,
        username: user.username,
        scopes: areq.scopes,
        ...(areq.nonce !== undefined ? { nonce: areq.nonce } : {}),
        ...(areq.codeChallenge ? { codeChallenge: areq.codeChallenge } : {}),
        authTime,
      });
      res.redirect(302, withParams(areq.redirectUri, { code, state: areq.state }));
      return;
    }
    const now = runtime.clock.now();
    const tokens = await issueTokens({
      pool: pool.config,
      client,
      store: pool.store,
      user,
      scopes: areq.scopes,
      authTime,
      ...(areq.nonce !== undefined ? { nonce: areq.nonce } : {}),
      oauth: true,
      includeIdToken: areq.scopes.includes("openid"),
      includeRefreshToken: false,
      nowMs: now,
      ...(await customized(runtime, pool, user, client.clientId, "HostedAuth", areq.scopes)),
    });
    const fragment = {
      ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      access_token: tokens.accessToken,
      expires_in: String(tokens.expiresIn),
      token_type: "Bearer",
      state: areq.state,
    };
    res.redirect(302, withParams(areq.redirectUri, fragment, true));
  }

  function sessionUser(
    req: Request,
    areq: AuthorizeRequest,
  ): { user: StoredUser; authTime: number } | undefined {
    const id = cookies(req).get(sessionCookie(areq.pool.config.id));
    const session = id ? areq.pool.store.session(id) : undefined;
    const user = session ? areq.pool.store.user(session.username) : undefined;
    return session && user?.enabled && user.status === "CONFIRMED"
      ? { user, authTime: session.authTime }
      : undefined;
  }

  const renderLogin = (req: Request, res: Response, areq: AuthorizeRequest, status: number, extra = {}) =>
    sendHtml(
      res,
      status,
      loginPage({
        query: areq.query.toString(),
        csrf: csrfToken(req, res),
        signUpAllowed: areq.pool.config.selfSignUpEnabled,
        ...(notice(req) ? { info: notice(req) } : {}),
        ...extra,
      }),
    );

  const renderSignUp = (
    req: Request,
    res: Response,
    areq: AuthorizeRequest,
    extra: { username?: string; email?: string; error?: string } = {},
  ) =>
    sendHtml(
      res,
      200,
      signUpPage({
        query: areq.query.toString(),
        csrf: csrfToken(req, res),
        emailIsUsername: emailIsUsername(areq.pool.config),
        requirements: passwordRequirements(areq.pool.config.passwordPolicy),
        ...extra,
      }),
    );

  /**
   * The email a pending code of `purpose` went to; undefined when no such code is pending, so a page
   * opened with someone else's username reveals nothing about them.
   */
  const pendingDestination = (areq: AuthorizeRequest, username: string, purpose?: "forgotPassword") => {
    const user = findUser(areq.pool, username);
    const pending = user ? areq.pool.store.confirmation(user.username) : undefined;
    return pending && pending.purpose === purpose ? user?.attributes.email : undefined;
  };

  /** The confirm page for `username`: where the code went and, locally, where to read it. */
  const renderConfirm = (
    req: Request,
    res: Response,
    areq: AuthorizeRequest,
    username: string,
    extra: { error?: string; info?: string } = {},
  ) => {
    const query = new URLSearchParams(areq.query);
    query.set("username", username);
    const email = pendingDestination(areq, username);
    sendHtml(
      res,
      200,
      confirmPage({
        query: query.toString(),
        csrf: csrfToken(req, res),
        username,
        ...(email ? { destination: maskEmail(email) } : {}),
        ...(codesUrl() ? { codesUrl: codesUrl() } : {}),
        ...extra,
      }),
    );
  };

  router.get("/oauth2/authorize", (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (areq) res.redirect(302, `/login?${areq.query}`);
  });

  router.get("/login", async (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    const signedIn = sessionUser(req, areq);
    if (signedIn) return finish(res, areq, signedIn.user, signedIn.authTime);
    renderLogin(req, res, areq, 200);
  });

  router.post("/login", form, async (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    const body = formOrAnswer(req, res);
    if (!body) return;
    const username = (body.get("username") ?? "").trim();
    const password = body.get("password") ?? "";
    let user: StoredUser | undefined;
    try {
      user =
        username && password
          ? await authenticate(runtime, areq.pool, username, password, areq.client.clientId)
          : undefined;
    } catch (error) {
      if (error instanceof CognitoError)
        return renderLogin(req, res, areq, 200, { username, error: error.message });
      throw error;
    }
    if (!user)
      return renderLogin(req, res, areq, 200, { username, error: "Incorrect username or password." });
    if (user.status === "UNCONFIRMED") {
      const pending = areq.pool.store.confirmation(user.username);
      if (!pending || pending.expiresAt <= runtime.clock.now())
        await startConfirmation(runtime, areq.pool, user, areq.client.clientId);
      const query = new URLSearchParams(areq.query);
      query.set("username", username);
      query.set("notice", "unconfirmed");
      return res.redirect(302, `/confirm?${query}`);
    }
    if (user.status !== "CONFIRMED") {
      return renderLogin(req, res, areq, 200, {
        username,
        error:
          "This user must change a temporary password; that is not emulated. Set a permanent password with AdminSetUserPassword.",
      });
    }
    const authTime = Math.floor(runtime.clock.now() / 1000);
    startSession(res, areq, user, authTime);
    log.info("signed in", { poolId: areq.pool.config.id, username: user.username });
    return finish(res, areq, user, authTime);
  });

  router.get("/signup", (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    if (!areq.pool.config.selfSignUpEnabled)
      return sendHtml(res, 400, errorPage("invalid_request", "SignUp is not permitted for this user pool"));
    renderSignUp(req, res, areq);
  });

  router.post("/signup", form, async (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    const body = formOrAnswer(req, res);
    if (!body) return;
    const byEmail = emailIsUsername(areq.pool.config);
    const email = (body.get("email") ?? "").trim();
    const username = byEmail ? email : (body.get("username") ?? "").trim();
    const again = (error: string) => renderSignUp(req, res, areq, { username, email, error });
    if (!areq.pool.config.selfSignUpEnabled)
      return sendHtml(res, 400, errorPage("invalid_request", "SignUp is not permitted for this user pool"));
    if (!username) return again("Username cannot be empty");
    try {
      const password = checkPassword(areq.pool, body.get("password") ?? "");
      const { user, confirmed } = await registerUser(runtime, areq.pool, areq.client, {
        username,
        password,
        attributes: new Map(email ? [["email", email]] : []),
      });
      // Confirmed by PreSignUp: no code to enter; the user is signed in and sent back, as Cognito does.
      if (confirmed) {
        const authTime = Math.floor(runtime.clock.now() / 1000);
        startSession(res, areq, user, authTime);
        return finish(res, areq, user, authTime);
      }
    } catch (error) {
      if (error instanceof CognitoError) return again(error.message);
      throw error;
    }
    const query = new URLSearchParams(areq.query);
    query.set("username", username);
    res.redirect(302, `/confirm?${query}`);
  });

  router.get("/confirm", (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    const username = queryOf(req).get("username");
    if (!username) return sendHtml(res, 400, errorPage("invalid_request", "username is required."));
    renderConfirm(req, res, areq, username, notice(req) ? { error: notice(req) } : {});
  });

  router.post("/confirm", form, async (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    const body = formOrAnswer(req, res);
    if (!body) return;
    const username = body.get("username") ?? queryOf(req).get("username") ?? "";
    const again = (error: string) => renderConfirm(req, res, areq, username, { error });
    const user = username ? findUser(areq.pool, username) : undefined;
    // An unknown user gets the wrong-code answer: the page must not reveal who exists.
    if (!user) return again(codeMismatch().message);
    let confirmed: StoredUser;
    try {
      confirmed = await confirmUser(runtime, areq.pool, user, body.get("code") ?? "", areq.client.clientId);
    } catch (error) {
      if (error instanceof CognitoError) return again(error.message);
      throw error;
    }
    const authTime = Math.floor(runtime.clock.now() / 1000);
    startSession(res, areq, confirmed, authTime);
    log.info("account confirmed", { poolId: areq.pool.config.id, username: confirmed.username });
    return finish(res, areq, confirmed, authTime);
  });

  // Resend code: a fresh sign-up code replaces the pending one.
  router.post("/resendcode", form, async (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    const body = formOrAnswer(req, res);
    if (!body) return;
    const username = body.get("username") ?? "";
    const user = username ? findUser(areq.pool, username) : undefined;
    // An unknown user sees the same answer as a known one: the page must not reveal who exists.
    if (!user) return renderConfirm(req, res, areq, username, { info: "We have sent a new code by email." });
    try {
      await resendConfirmation(runtime, areq.pool, user, areq.client.clientId);
    } catch (error) {
      if (error instanceof CognitoError)
        return renderConfirm(req, res, areq, username, { error: error.message });
      throw error;
    }
    const email = user.attributes.email;
    renderConfirm(req, res, areq, username, {
      info: `We have sent a new code by email${email ? ` to ${maskEmail(email)}` : ""}. Enter it below to confirm your account.`,
    });
  });

  const renderForgot = (
    req: Request,
    res: Response,
    areq: AuthorizeRequest,
    extra: { username?: string; error?: string } = {},
  ) =>
    sendHtml(
      res,
      200,
      forgotPasswordPage({ query: areq.query.toString(), csrf: csrfToken(req, res), ...extra }),
    );

  const renderConfirmForgot = (
    req: Request,
    res: Response,
    areq: AuthorizeRequest,
    username: string,
    extra: { error?: string } = {},
  ) => {
    const query = new URLSearchParams(areq.query);
    query.set("username", username);
    const email = pendingDestination(areq, username, "forgotPassword");
    sendHtml(
      res,
      200,
      confirmForgotPasswordPage({
        query: query.toString(),
        csrf: csrfToken(req, res),
        username,
        requirements: passwordRequirements(areq.pool.config.passwordPolicy),
        ...(email ? { destination: maskEmail(email) } : {}),
        ...(codesUrl() ? { codesUrl: codesUrl() } : {}),
        ...extra,
      }),
    );
  };

  router.get("/forgotPassword", (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (areq) renderForgot(req, res, areq);
  });

  router.post("/forgotPassword", form, async (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    const body = formOrAnswer(req, res);
    if (!body) return;
    const username = (body.get("username") ?? "").trim();
    if (!username) return renderForgot(req, res, areq, { error: "Username cannot be empty" });
    const user = findUser(areq.pool, username);
    if (user) {
      try {
        await startPasswordReset(runtime, areq.pool, user, areq.client.clientId);
      } catch (error) {
        if (error instanceof CognitoError)
          return renderForgot(req, res, areq, { username, error: error.message });
        throw error;
      }
    } else if (!areq.client.preventUserExistenceErrors) {
      return renderForgot(req, res, areq, { username, error: "Username/client id combination not found." });
    }
    const query = new URLSearchParams(areq.query);
    query.set("username", username);
    res.redirect(302, `/confirmForgotPassword?${query}`);
  });

  router.get("/confirmForgotPassword", (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    const username = queryOf(req).get("username");
    if (!username) return sendHtml(res, 400, errorPage("invalid_request", "username is required."));
    renderConfirmForgot(req, res, areq, username);
  });

  router.post("/confirmForgotPassword", form, async (req, res) => {
    const areq = authorizeOrAnswer(req, res);
    if (!areq) return;
    const body = formOrAnswer(req, res);
    if (!body) return;
    const username = body.get("username") ?? "";
    const again = (error: string) => renderConfirmForgot(req, res, areq, username, { error });
    const password = body.get("password") ?? "";
    if (password !== (body.get("confirmPassword") ?? "")) return again("Passwords do not match.");
    const user = username ? findUser(areq.pool, username) : undefined;
    if (!user) return again("Invalid verification code provided, please try again.");
    try {
      await confirmPasswordReset(runtime, areq.pool, user, body.get("code") ?? "", password);
    } catch (error) {
      if (error instanceof CognitoError) return again(error.message);
      throw error;
    }
    log.info("password reset", { poolId: areq.pool.config.id, username: user.username });
    const query = new URLSearchParams(areq.query);
    query.set("notice", "passwordReset");
    res.redirect(302, `/login?${query}`);
  });

  router.get("/logout", (req, res) => {
    const params = queryOf(req);
    const clientId = params.get("client_id");
    const found = clientId ? runtime.client(clientId) : undefined;
    if (!clientId || !found) return sendHtml(res, 400, errorPage("invalid_request", "Invalid client_id."));
    const logoutUri = params.get("logout_uri");
    let location: string;
    if (logoutUri !== null) {
      if (!found.client.logoutUrls.includes(logoutUri)) {
        return res.redirect(
          302,
          `/error?${new URLSearchParams({ error: "redirect_mismatch", client_id: clientId })}`,
        );
      }
      location = logoutUri;
    } else if (params.get("redirect_uri") !== null && params.get("response_type") !== null) {
      const outcome = validateAuthorize(runtime, params);
      if (outcome.kind === "errorPage")
        return sendHtml(res, outcome.status, errorPage(outcome.error, outcome.detail));
      if (outcome.kind !== "ok") return res.redirect(302, outcome.location);
      location = `/login?${outcome.request.query}`;
    } else {
      return sendHtml(
        res,
        400,
        errorPage("invalid_request", "logout needs logout_uri, or redirect_uri and response_type."),
      );
    }
    const name = sessionCookie(found.pool.config.id);
    const sessionId = cookies(req).get(name);
    if (sessionId) found.pool.store.deleteSession(sessionId);
    res.clearCookie(name, { path: "/", httpOnly: true, sameSite: "lax", secure: secure() });
    res.redirect(302, location);
  });

  router.get("/error", (req, res) => {
    const error = queryOf(req).get("error") ?? "invalid_request";
    sendHtml(res, 400, errorPage(error.slice(0, 100)));
  });

  return router;
}
