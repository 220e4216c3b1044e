// Resend code, forgot password and the password policy on the page: the hosted UI and the JSON API alike.
import { createHmac } from "node:crypto";
import {
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostedUiClient } from "../../../test/support/cognito/hostedUiClient.js";
import {
  cognitoSdkFor,
  PASSWORD,
  SITE_URL,
  samplePool,
  startTestEmulator,
  type TestEmulator,
} from "../../../test/support/cognito/testEmulator.js";
import { sdkErrorOf } from "../../../test/support/sdkErrorOf.js";
import { ManualClock } from "../shared/clock.js";
import { meetsRequirement, passwordRequirements } from "./passwordRules.js";

const NEW_PASSWORD = "N3w-passw0rd";
const clock = new ManualClock();
const pool = samplePool();
const open = samplePool({ clientProperties: { PreventUserExistenceErrors: "LEGACY" } });
const client = pool.clients[0]!;
const legacyClient = open.clients[0]!;
const authorize = { clientId: client.clientId, redirectUri: SITE_URL, scope: "openid email", state: "s-1" };
let env: TestEmulator;
let sdk: CognitoIdentityProviderClient;

const secretHash = (username: string, c = client) =>
  createHmac("sha256", c.clientSecret!)
    .update(username + c.clientId)
    .digest("base64");

async function confirmedUser(username: string): Promise<HostedUiClient> {
  const browser = new HostedUiClient(env.url);
  await browser.authorize(authorize);
  await browser.signUp({ username, email: `${username}@example.com`, password: PASSWORD });
  expect((await browser.confirm()).redirect?.code).toBeDefined();
  return browser;
}

const signIn = (username: string, password: string) =>
  sdk.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: client.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: secretHash(username) },
    }),
  );

beforeAll(async () => {
  env = await startTestEmulator({ pools: [pool, open], clock });
  sdk = cognitoSdkFor(env.url);
});
afterAll(async () => {
  sdk.destroy();
  await env.close();
});

describe("the sign-up page's password requirements", () => {
  it("lists the pool's policy, each requirement with the check the page's script runs", async () => {
    const page = (await new HostedUiClient(env.url).authorize(authorize)).page!;
    expect(page.name).toBe("login");
    const signUp = await new HostedUiClient(env.url).open(
      `/signup?${new URLSearchParams({ client_id: client.clientId, response_type: "code", redirect_uri: SITE_URL })}`,
    );
    const html = signUp.page!.html;
    for (const text of [
      "Password must contain a number",
      "Password must contain a special character",
      "Password must contain an upper case letter",
      "Password must contain a lower case letter",
      "Password must contain at least 8 characters",
    ])
      expect(html).toContain(text);
    expect(html).toContain('data-password-for="signUpFormPassword"');
  });

  it("marks exactly the requirements a password meets (the server's policy check agrees)", () => {
    const rules = passwordRequirements({
      minimumLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
      temporaryPasswordValidityDays: 7,
    });
    const met = (password: string) => rules.filter((r) => meetsRequirement(r, password)).map((r) => r.id);
    expect(met("")).toEqual([]);
    expect(met("abc")).toEqual(["lowercase"]);
    expect(met("Abc1 ")).toEqual(["numbers", "symbols", "uppercase", "lowercase"]);
    expect(met(PASSWORD)).toEqual(["numbers", "symbols", "uppercase", "lowercase", "length"]);
  });

  it("still answers Cognito's own error texts", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    const short = await browser.signUp({ username: "shorty", email: "s@example.com", password: "Ab1!" });
    expect(short.page?.error).toBe(
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6",
    );
    const weak = await browser.signUp({
      username: "weakling",
      email: "w@example.com",
      password: "abcdefgh1!",
    });
    expect(weak.page?.error).toBe(
      "Password did not conform with policy: Password must have uppercase characters",
    );
  });

  it("allows the page's one script by its hash, and no other", async () => {
    const response = await fetch(
      `${env.url}/login?${new URLSearchParams({ client_id: client.clientId, response_type: "code", redirect_uri: SITE_URL })}`,
    );
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*';/);
  });
});

describe("the confirm page", () => {
  it("says where the code went, where to read it locally, resends it and links back to sign-in", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    const confirm = await browser.signUp({
      username: "resender",
      email: "resender@example.com",
      password: PASSWORD,
    });
    const html = confirm.page!.html;
    expect(html).toContain("We have sent a code by email to r***@e***.");
    expect(html).toContain("/_furl/cognito/confirmations");
    expect(html).toMatch(/id="backToSignIn" href="\/login\?[^"]*client_id=/);
    const first = await browser.pendingConfirmationCode("resender");

    const resent = await browser.resendCode();
    expect(resent.page?.name).toBe("confirm");
    expect(resent.page?.html).toContain("We have sent a new code by email to r***@e***.");
    const second = await browser.pendingConfirmationCode("resender");
    expect(second).not.toBe(first);
    const stale = await browser.confirm(first);
    expect(stale.page?.error).toBe("Invalid verification code provided, please try again.");
    expect((await browser.confirm(second)).redirect?.code).toBeDefined();
  });

  it("names no email for a username with no code pending (no peeking at other users)", async () => {
    await confirmedUser("private");
    const query = new URLSearchParams({
      client_id: client.clientId,
      response_type: "code",
      redirect_uri: SITE_URL,
      username: "private",
    });
    const confirm = await new HostedUiClient(env.url).open(`/confirm?${query}`);
    expect(confirm.page?.html).toContain("We have sent a code. Enter it below");
    expect(confirm.page?.html).not.toContain("p***@e***");
    const reset = await new HostedUiClient(env.url).open(`/confirmForgotPassword?${query}`);
    expect(reset.page?.html).not.toContain("p***@e***");
  });

  it("explains why an unconfirmed user who signs in lands there", async () => {
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    await browser.signUp({ username: "laggard", email: "laggard@example.com", password: PASSWORD });
    const again = new HostedUiClient(env.url);
    await again.authorize(authorize);
    const result = await again.signIn("laggard", PASSWORD);
    expect(result.page?.name).toBe("confirm");
    expect(result.page?.error).toMatch(/^Your account is not confirmed yet\./);
  });
});

describe("Forgot your password? in the hosted UI", () => {
  it("sends a code where confirmation codes go, takes it with the new password twice, then signs in", async () => {
    await confirmedUser("forgetful");
    const browser = new HostedUiClient(env.url);
    await browser.authorize(authorize);
    const reset = await browser.forgotPassword("forgetful");
    expect(reset.page?.name).toBe("confirmForgotPassword");
    expect(reset.page?.html).toContain("We have sent a password reset code by email to f***@e***.");
    const code = await browser.pendingCode("forgetful", "forgotPassword");
    expect(code).toMatch(/^\d{6}$/);
    expect(await browser.pendingConfirmationCode("forgetful"), "not a sign-up code").toBeUndefined();

    const mismatch = await browser.confirmForgotPassword(code!, NEW_PASSWORD, `${NEW_PASSWORD}x`);
    expect(mismatch.page?.error).toBe("Passwords do not match.");
    const weak = await browser.confirmForgotPassword(code!, "lowercase-only1");
    expect(weak.page?.error).toBe(
      "Password does not conform to policy: Password must have uppercase characters",
    );
    const wrong = await browser.confirmForgotPassword("000000" === code ? "111111" : "000000", NEW_PASSWORD);
    expect(wrong.page?.error).toBe("Invalid verification code provided, please try again.");

    const done = await browser.confirmForgotPassword(code!, NEW_PASSWORD);
    expect(done.page?.name).toBe("login");
    expect(done.page?.html).toContain("Your password has been reset. Sign in with your new password.");
    expect((await browser.signIn("forgetful", PASSWORD)).page?.error).toBe("Incorrect username or password.");
    expect((await browser.signIn("forgetful", NEW_PASSWORD)).redirect?.code).toBeDefined();
    const reused = await sdkErrorOf(
      sdk.send(
        new ConfirmForgotPasswordCommand({
          ClientId: client.clientId,
          Username: "forgetful",
          ConfirmationCode: code!,
          Password: PASSWORD,
          SecretHash: secretHash("forgetful"),
        }),
      ),
    );
    expect(reused.name, "the code is spent").toBe("ExpiredCodeException");
  });
});

describe("ForgotPassword, ConfirmForgotPassword, ResendConfirmationCode in the JSON API", () => {
  it("resets a password with a 1 h code; an expired code asks for a new one", async () => {
    await confirmedUser("apiforget");
    const sent = await sdk.send(
      new ForgotPasswordCommand({
        ClientId: client.clientId,
        Username: "apiforget",
        SecretHash: secretHash("apiforget"),
      }),
    );
    expect(sent.CodeDeliveryDetails).toEqual({
      Destination: "a***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const code = await new HostedUiClient(env.url).pendingCode("apiforget", "forgotPassword");
    const confirm = (ConfirmationCode: string, Password = NEW_PASSWORD) =>
      sdk.send(
        new ConfirmForgotPasswordCommand({
          ClientId: client.clientId,
          Username: "apiforget",
          ConfirmationCode,
          Password,
          SecretHash: secretHash("apiforget"),
        }),
      );
    const short = await sdkErrorOf(confirm(code!, "Ab1!"));
    expect([short.name, short.message]).toEqual([
      "InvalidParameterException",
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6",
    ]);
    await confirm(code!);
    expect((await signIn("apiforget", NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();

    await sdk.send(
      new ForgotPasswordCommand({
        ClientId: client.clientId,
        Username: "apiforget",
        SecretHash: secretHash("apiforget"),
      }),
    );
    const late = await new HostedUiClient(env.url).pendingCode("apiforget", "forgotPassword");
    clock.advanceBy(60 * 60_000 + 1);
    const expired = await sdkErrorOf(confirm(late!, PASSWORD));
    expect([expired.name, expired.message]).toEqual([
      "ExpiredCodeException",
      "Invalid code provided, please request a code again.",
    ]);
  });

  it("allows 5 wrong reset codes per user per hour, then refuses even the right one", async () => {
    await confirmedUser("guessreset");
    await sdk.send(
      new ForgotPasswordCommand({
        ClientId: client.clientId,
        Username: "guessreset",
        SecretHash: secretHash("guessreset"),
      }),
    );
    const code = await new HostedUiClient(env.url).pendingCode("guessreset", "forgotPassword");
    const confirm = (ConfirmationCode: string) =>
      sdk.send(
        new ConfirmForgotPasswordCommand({
          ClientId: client.clientId,
          Username: "guessreset",
          ConfirmationCode,
          Password: NEW_PASSWORD,
          SecretHash: secretHash("guessreset"),
        }),
      );
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) expect((await sdkErrorOf(confirm(wrong))).name).toBe("CodeMismatchException");
    const limited = await sdkErrorOf(confirm(code!));
    expect([limited.name, limited.message]).toEqual([
      "LimitExceededException",
      "Attempt limit exceeded, please try after some time.",
    ]);
    expect((await sdkErrorOf(signIn("guessreset", NEW_PASSWORD))).name).toBe("NotAuthorizedException");
  });

  it("refuses a reset for an unconfirmed user (no verified email), and a resend for a confirmed one", async () => {
    await sdk.send(
      new SignUpCommand({
        ClientId: client.clientId,
        Username: "pending",
        Password: PASSWORD,
        SecretHash: secretHash("pending"),
        UserAttributes: [{ Name: "email", Value: "pending@example.com" }],
      }),
    );
    const reset = await sdkErrorOf(
      sdk.send(
        new ForgotPasswordCommand({
          ClientId: client.clientId,
          Username: "pending",
          SecretHash: secretHash("pending"),
        }),
      ),
    );
    expect([reset.name, reset.message]).toEqual([
      "InvalidParameterException",
      "Cannot reset password for the user as there is no registered/verified email or phone_number",
    ]);
    const resent = await sdk.send(
      new ResendConfirmationCodeCommand({
        ClientId: client.clientId,
        Username: "pending",
        SecretHash: secretHash("pending"),
      }),
    );
    expect(resent.CodeDeliveryDetails?.Destination).toBe("p***@e***");

    await confirmedUser("settled");
    const again = await sdkErrorOf(
      sdk.send(
        new ResendConfirmationCodeCommand({
          ClientId: client.clientId,
          Username: "settled",
          SecretHash: secretHash("settled"),
        }),
      ),
    );
    expect([again.name, again.message]).toEqual(["InvalidParameterException", "User is already confirmed."]);
  });

  it("hides who exists when PreventUserExistenceErrors is on, and says so otherwise", async () => {
    const hidden = await sdk.send(
      new ForgotPasswordCommand({
        ClientId: client.clientId,
        Username: "nobody",
        SecretHash: secretHash("nobody"),
      }),
    );
    expect(hidden.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");
    const told = await sdkErrorOf(
      sdk.send(
        new ForgotPasswordCommand({
          ClientId: legacyClient.clientId,
          Username: "nobody",
          SecretHash: secretHash("nobody", legacyClient),
        }),
      ),
    );
    expect([told.name, told.message]).toEqual([
      "UserNotFoundException",
      "Username/client id combination not found.",
    ]);
  });
});
