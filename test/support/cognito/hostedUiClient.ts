// A scripted browser for the hosted UI: fetch with a cookie jar, form filling, manual redirects.
// Framework-free so unit, integration and end-to-end tests can all drive sign-in, sign-up and confirm flows.

/** Parameters of /oauth2/authorize (names as in the query). */
export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  responseType?: "code" | "token";
  scope?: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

export interface HostedUiRedirect {
  /** Where the emulator sent the browser outside itself (the app's redirect_uri or logout_uri). */
  location: string;
  code?: string;
  state?: string;
  error?: string;
  /** Fragment parameters (implicit grant: access_token, id_token...). */
  fragment: Record<string, string>;
}

export interface HostedUiPage {
  /** `login`, `signup`, `confirm`, `error` (the page's data-page attribute). */
  name: string;
  html: string;
  /** The page's error text, e.g. "Incorrect username or password." */
  error?: string;
}

/** Where a step ended: a redirect leaving the emulator, or one of its pages. */
export interface HostedUiResult {
  status: number;
  url: string;
  redirect?: HostedUiRedirect;
  page?: HostedUiPage;
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};
const unescapeHtml = (value: string) => value.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeHtml(match[1]!) : undefined;
}

export class HostedUiClient {
  /** Cookie jar for the emulator's origin (name -> value). */
  readonly cookies = new Map<string, string>();
  /** The last page shown, used by the form-filling methods. */
  current: HostedUiResult | undefined;
  private readonly base: URL;
  private readonly fetchImpl: typeof fetch;

  /** @param baseUrl the emulator's URL, e.g. http://127.0.0.1:3001 */
  constructor(baseUrl: string, options: { fetch?: typeof fetch } = {}) {
    this.base = new URL(baseUrl);
    this.fetchImpl = options.fetch ?? fetch;
  }

  authorizeUrl(params: AuthorizeParams): string {
    const query = new URLSearchParams({
      client_id: params.clientId,
      response_type: params.responseType ?? "code",
      redirect_uri: params.redirectUri,
    });
    if (params.scope !== undefined) query.set("scope", params.scope);
    if (params.state !== undefined) query.set("state", params.state);
    if (params.nonce !== undefined) query.set("nonce", params.nonce);
    if (params.codeChallenge !== undefined) query.set("code_challenge", params.codeChallenge);
    if (params.codeChallengeMethod !== undefined)
      query.set("code_challenge_method", params.codeChallengeMethod);
    return new URL(`/oauth2/authorize?${query}`, this.base).toString();
  }

  /** Opens /oauth2/authorize and follows the emulator's redirects (to /login, or straight back with a session). */
  authorize(params: AuthorizeParams): Promise<HostedUiResult> {
    return this.open(this.authorizeUrl(params));
  }

  /** GETs a URL (absolute or emulator-relative) and follows redirects inside the emulator. */
  open(url: string): Promise<HostedUiResult> {
    return this.request(new URL(url, this.base), { method: "GET" });
  }

  /** Fills and submits the login form of the current page. */
  signIn(username: string, password: string): Promise<HostedUiResult> {
    return this.submit("cognitoSignInForm", { username, password });
  }

  /** Follows the "Sign up" link of the current login page. */
  openSignUp(): Promise<HostedUiResult> {
    const html = this.requirePage("login").html;
    const link = /<a id="signUpLink" href="([^"]*)"/.exec(html);
    if (!link) throw new Error("The login page has no Sign up link (self sign-up disabled?)");
    return this.open(unescapeHtml(link[1]!));
  }

  /** Fills and submits the sign-up form (opening it from the login page first if needed). */
  async signUp(fields: { username?: string; email: string; password: string }): Promise<HostedUiResult> {
    if (this.current?.page?.name === "login") await this.openSignUp();
    return this.submit("cognitoSignUpForm", {
      ...(fields.username !== undefined ? { username: fields.username } : {}),
      email: fields.email,
      password: fields.password,
    });
  }

  /** Submits the confirm form; without a code, reads the pending code from the emulator's control endpoint. */
  async confirm(code?: string): Promise<HostedUiResult> {
    const html = this.requirePage("confirm").html;
    const username = /<input type="hidden" name="username" value="([^"]*)"/.exec(html)?.[1];
    const value = code ?? (username ? await this.pendingConfirmationCode(unescapeHtml(username)) : undefined);
    if (value === undefined) throw new Error("No pending confirmation code for this user");
    return this.submit("cognitoConfirmForm", { code: value });
  }

  /** The pending sign-up code for a username (or email), read from the emulator's control endpoint. */
  pendingConfirmationCode(usernameOrEmail: string): Promise<string | undefined> {
    return this.pendingCode(usernameOrEmail);
  }

  /** "Resend code" on the confirm page. */
  resendCode(): Promise<HostedUiResult> {
    this.requirePage("confirm");
    return this.submit("cognitoResendForm", {});
  }

  /** Follows "Forgot your password?" on the login page and asks for a reset code for `username`. */
  async forgotPassword(username: string): Promise<HostedUiResult> {
    const html = this.requirePage("login").html;
    const link = /<a id="forgotPasswordLink" href="([^"]*)"/.exec(html);
    if (!link) throw new Error("The login page has no Forgot your password? link");
    await this.open(unescapeHtml(link[1]!));
    return this.submit("cognitoForgotPasswordForm", { username });
  }

  /** Submits the reset form: the code, and the new password twice (`again` to type a different one). */
  confirmForgotPassword(code: string, password: string, again = password): Promise<HostedUiResult> {
    this.requirePage("confirmForgotPassword");
    return this.submit("cognitoConfirmForgotPasswordForm", { code, password, confirmPassword: again });
  }

  /** The pending code of `purpose` for a username (or email), from the emulator's list of codes. */
  async pendingCode(usernameOrEmail: string, purpose?: "forgotPassword"): Promise<string | undefined> {
    const response = await this.fetchImpl(new URL("/_furl/cognito/confirmations", this.base));
    if (!response.ok) throw new Error(`Control endpoint answered ${response.status}`);
    const { confirmations } = (await response.json()) as {
      confirmations: { username: string; email?: string; code: string; purpose?: string }[];
    };
    return confirmations.find(
      (c) => (c.username === usernameOrEmail || c.email === usernameOrEmail) && c.purpose === purpose,
    )?.code;
  }

  /** Opens /logout and follows redirects. */
  logout(params: { clientId: string; logoutUri: string }): Promise<HostedUiResult> {
    const query = new URLSearchParams({ client_id: params.clientId, logout_uri: params.logoutUri });
    return this.open(`/logout?${query}`);
  }

  /** The whole sign-in: authorize, fill the login form if shown, return the code and state (or throw with the page's error). */
  async signInForCode(
    params: AuthorizeParams & { username: string; password: string },
  ): Promise<{ code: string; state?: string }> {
    let result = await this.authorize(params);
    if (result.page?.name === "login") result = await this.signIn(params.username, params.password);
    const code = result.redirect?.code;
    if (!code) {
      throw new Error(
        `Sign-in did not return a code: ${result.redirect?.error ?? result.page?.error ?? `HTTP ${result.status}`}`,
      );
    }
    return { code, ...(result.redirect?.state !== undefined ? { state: result.redirect.state } : {}) };
  }

  private requirePage(name: string): HostedUiPage {
    const page = this.current?.page;
    if (page?.name !== name)
      throw new Error(
        `Expected the ${name} page, but the last step ended on ${page?.name ?? this.current?.redirect?.location ?? "nothing"}`,
      );
    return page;
  }

  private submit(formName: string, values: Record<string, string>): Promise<HostedUiResult> {
    const html = this.current?.page?.html ?? "";
    const start = html.indexOf(`<form name="${formName}"`);
    if (start < 0) throw new Error(`The current page has no form ${formName}`);
    const formHtml = html.slice(start, html.indexOf("</form>", start));
    const action = attribute(formHtml.slice(0, formHtml.indexOf(">") + 1), "action") ?? "";
    const body = new URLSearchParams();
    for (const tag of formHtml.match(/<input[^>]*>/g) ?? []) {
      const name = attribute(tag, "name");
      if (name && attribute(tag, "type") === "hidden") body.set(name, attribute(tag, "value") ?? "");
    }
    for (const [name, value] of Object.entries(values)) body.set(name, value);
    return this.request(new URL(action, this.current?.url ?? this.base), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  }

  private async request(url: URL, init: RequestInit): Promise<HostedUiResult> {
    let target = url;
    let options = init;
    for (let hop = 0; hop < 10; hop++) {
      const response = await this.fetchImpl(target, {
        ...options,
        redirect: "manual",
        headers: { ...(options.headers as Record<string, string>), cookie: this.cookieHeader() },
      });
      this.storeCookies(response);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        const next = new URL(location, target);
        if (next.origin !== this.base.origin) {
          this.current = {
            status: response.status,
            url: next.toString(),
            redirect: this.describeRedirect(next),
          };
          return this.current;
        }
        target = next;
        options = { method: "GET" };
        continue;
      }
      const html = await response.text();
      const name = /data-page="([^"]*)"/.exec(html)?.[1] ?? "unknown";
      const error = /id="errorMessage"[^>]*>([^<]*)</.exec(html)?.[1];
      this.current = {
        status: response.status,
        url: target.toString(),
        page: { name, html, ...(error !== undefined ? { error: unescapeHtml(error) } : {}) },
      };
      return this.current;
    }
    throw new Error("Too many redirects inside the hosted UI");
  }

  private describeRedirect(url: URL): HostedUiRedirect {
    const get = (name: string) => url.searchParams.get(name) ?? undefined;
    const fragment = Object.fromEntries(new URLSearchParams(url.hash.replace(/^#/, "")));
    const code = get("code");
    const state = get("state") ?? fragment.state;
    const error = get("error");
    return {
      location: url.toString(),
      fragment,
      ...(code !== undefined ? { code } : {}),
      ...(state !== undefined ? { state } : {}),
      ...(error !== undefined ? { error } : {}),
    };
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("; ");
  }

  private storeCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => {
        const [key = "", value = ""] = a.trim().split("=");
        return (
          (key.toLowerCase() === "max-age" && Number(value) <= 0) ||
          (key.toLowerCase() === "expires" && Date.parse(value) <= Date.now())
        );
      });
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, decodeURIComponent(pair.slice(eq + 1).trim()));
    }
  }
}
