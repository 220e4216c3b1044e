// The cognito-idp JSON API through the real AWS SDK v3 client: sign-up, confirm, auth, admin ops, errors.
import { createHmac } from "node:crypto";
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cognitoSdkFor,
  PASSWORD,
  samplePool,
  startTestEmulator,
  type TestEmulator,
} from "../../../test/support/cognito/testEmulator.js";
import { sdkErrorOf } from "../../../test/support/sdkErrorOf.js";
import { ManualClock } from "../shared/clock.js";
import { createLogger } from "../shared/log.js";

const clock = new ManualClock();
const pool = samplePool();
const client = pool.clients[0]!;
const logLines: string[] = [];
let env: TestEmulator;
let sdk: CognitoIdentityProviderClient;

const secretHash = (username: string) =>
  createHmac("sha256", client.clientSecret!)
    .update(username + client.clientId)
    .digest("base64");

async function signUp(username: string) {
  return sdk.send(
    new SignUpCommand({
      ClientId: client.clientId,
      Username: username,
      Password: PASSWORD,
      SecretHash: secretHash(username),
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
    }),
  );
}

const login = (username: string, password = PASSWORD) =>
  sdk.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: client.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: secretHash(username) },
    }),
  );

beforeAll(async () => {
  env = await startTestEmulator({
    pools: [pool],
    clock,
    log: createLogger("test", { level: "info", write: (line) => logLines.push(line) }),
  });
  sdk = cognitoSdkFor(env.url);
});
afterAll(async () => {
  sdk.destroy();
  await env.close();
});

describe("SignUp and ConfirmSignUp", () => {
  it("signs up an UNCONFIRMED user and logs the code (not as a redacted field)", async () => {
    const result = await signUp("amy");
    expect(result.UserConfirmed).toBe(false);
    expect(result.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
    const code = env.emulator.pendingConfirmations().find((c) => c.username === "amy")!.code;
    expect(code).toMatch(/^\d{6}$/);
    expect(logLines.some((line) => line.includes(`"confirmationCode":"${code}"`))).toBe(true);
    expect(logLines.join("\n")).not.toContain(PASSWORD);

    expect(await sdkErrorOf(login("amy"))).toMatchObject({ name: "UserNotConfirmedException" });
    await sdk.send(
      new ConfirmSignUpCommand({
        ClientId: client.clientId,
        Username: "amy",
        ConfirmationCode: code,
        SecretHash: secretHash("amy"),
      }),
    );
    const user = await sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: "amy" }));
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(user.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });
  });

  it("refuses a wrong SECRET_HASH, a missing one, a taken name and a weak password", async () => {
    const base = { ClientId: client.clientId, Username: "ben", Password: PASSWORD };
    expect(await sdkErrorOf(sdk.send(new SignUpCommand({ ...base, SecretHash: "bad" })))).toMatchObject({
      name: "NotAuthorizedException",
      message: `Unable to verify secret hash for client ${client.clientId}`,
    });
    expect(await sdkErrorOf(sdk.send(new SignUpCommand(base)))).toMatchObject({
      name: "NotAuthorizedException",
    });
    await signUp("ben");
    expect(await sdkErrorOf(signUp("ben"))).toMatchObject({
      name: "UsernameExistsException",
      message: "User already exists",
    });
    expect(
      await sdkErrorOf(
        sdk.send(
          new SignUpCommand({
            ...base,
            Username: "cat",
            SecretHash: secretHash("cat"),
            Password: "Password1",
          }),
        ),
      ),
    ).toMatchObject({
      name: "InvalidPasswordException",
      message: "Password did not conform with policy: Password must have symbol characters",
    });
  });

  it("expires confirmation codes after 24 hours", async () => {
    await signUp("dora");
    const code = env.emulator.pendingConfirmations().find((c) => c.username === "dora")!.code;
    clock.advanceBy(24 * 60 * 60_000 + 1);
    const error = await sdkErrorOf(
      sdk.send(
        new ConfirmSignUpCommand({
          ClientId: client.clientId,
          Username: "dora",
          ConfirmationCode: code,
          SecretHash: secretHash("dora"),
        }),
      ),
    );
    expect(error.name).toMatch(/ExpiredCodeException|CodeMismatchException/);
  });
});

describe("InitiateAuth and GetUser", () => {
  beforeAll(async () => {
    await signUp("eve");
    await sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.id, Username: "eve" }));
  });

  it("returns tokens for USER_PASSWORD_AUTH that GetUser accepts", async () => {
    const { AuthenticationResult: result } = await login("eve");
    expect(result).toMatchObject({ TokenType: "Bearer", ExpiresIn: 3600 });
    expect(decodeJwt(result!.AccessToken!).scope).toBe("aws.cognito.signin.user.admin");
    const me = await sdk.send(new GetUserCommand({ AccessToken: result!.AccessToken }));
    expect(me.Username).toBe("eve");
    clock.advanceBy(60 * 60_000 + 1000);
    expect(
      await sdkErrorOf(sdk.send(new GetUserCommand({ AccessToken: result!.AccessToken }))),
    ).toMatchObject({
      name: "NotAuthorizedException",
      message: "Access Token has expired",
    });
  });

  it("refreshes with REFRESH_TOKEN_AUTH", async () => {
    const { AuthenticationResult: first } = await login("eve");
    const refreshed = await sdk.send(
      new InitiateAuthCommand({
        AuthFlow: "REFRESH_TOKEN_AUTH",
        ClientId: client.clientId,
        AuthParameters: { REFRESH_TOKEN: first!.RefreshToken!, SECRET_HASH: secretHash("eve") },
      }),
    );
    expect(refreshed.AuthenticationResult?.AccessToken).toBeDefined();
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it("does not reveal whether a user exists", async () => {
    expect(await sdkErrorOf(login("eve", "Wrong-pass1"))).toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    expect(await sdkErrorOf(login("nobody"))).toMatchObject({ name: "NotAuthorizedException" });
  });

  it("reports flows it does not emulate distinctly", async () => {
    const error = await sdkErrorOf(
      sdk.send(
        new InitiateAuthCommand({ AuthFlow: "USER_SRP_AUTH", ClientId: client.clientId, AuthParameters: {} }),
      ),
    );
    // The SDK drops the "FurlKit#" namespace of __type, as it does for AWS's own namespaced codes.
    expect(error).toMatchObject({ name: "NotEmulated", status: 501 });
    expect(error.message).toContain("not emulated by furl-kit");
  });
});

describe("admin operations", () => {
  it("creates, sets a password, lists, gets and deletes a user", async () => {
    const created = await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.id,
        Username: "fred",
        TemporaryPassword: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "fred@example.com" }],
        MessageAction: "SUPPRESS",
      }),
    );
    expect(created.User?.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(created.User?.UserCreateDate).toBeInstanceOf(Date);
    expect((await login("fred")).ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    await sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool.id,
        Username: "fred",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    expect((await login("fred")).AuthenticationResult?.AccessToken).toBeDefined();

    const listed = await sdk.send(
      new ListUsersCommand({ UserPoolId: pool.id, Filter: 'email = "fred@example.com"' }),
    );
    expect(listed.Users?.map((u) => u.Username)).toEqual(["fred"]);
    expect(
      await sdkErrorOf(sdk.send(new ListUsersCommand({ UserPoolId: pool.id, Filter: "email fred" }))),
    ).toMatchObject({
      name: "InvalidParameterException",
    });

    await sdk.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: "fred" }));
    expect(
      await sdkErrorOf(sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: "fred" }))),
    ).toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });

  it("describes the app client", async () => {
    const { UserPoolClient: described } = await sdk.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool.id, ClientId: client.clientId }),
    );
    expect(described).toMatchObject({
      ClientId: client.clientId,
      CallbackURLs: client.callbackUrls,
      AllowedOAuthFlows: ["code"],
      AccessTokenValidity: 60,
    });
  });

  it("answers unknown pools and clients with ResourceNotFoundException", async () => {
    expect(
      await sdkErrorOf(
        sdk.send(new AdminGetUserCommand({ UserPoolId: "us-east-1_nope00000", Username: "x" })),
      ),
    ).toMatchObject({
      name: "ResourceNotFoundException",
      status: 400,
    });
    expect(
      await sdkErrorOf(
        sdk.send(new SignUpCommand({ ClientId: "unknown", Username: "x", Password: PASSWORD })),
      ),
    ).toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("answers operations it does not emulate as not emulated, never as success", async () => {
    const error = await sdkErrorOf(sdk.send(new CreateUserPoolCommand({ PoolName: "x" })));
    expect(error).toMatchObject({ name: "NotEmulated", status: 501 });
    expect(error.message).toBe("cognito-idp operation CreateUserPool is not emulated by furl-kit");
  });
});

describe("protocol errors", () => {
  const post = (headers: Record<string, string>, body: string) =>
    fetch(env.url, { method: "POST", headers, body });

  it("refuses a wrong content type, bad JSON and an oversized body without crashing", async () => {
    const target = { "x-amz-target": "AWSCognitoIdentityProviderService.ListUsers" };
    expect((await post({ ...target, "content-type": "text/plain" }, "{}")).status).toBe(400);
    const bad = await post({ ...target, "content-type": "application/x-amz-json-1.1" }, "{nope");
    expect(await bad.json()).toMatchObject({ __type: "SerializationException" });
    const big = await post(
      { ...target, "content-type": "application/x-amz-json-1.1" },
      `{"a":"${"x".repeat(100_000)}"}`,
    );
    expect(big.status).toBe(413);
    const ok = await post(
      { ...target, "content-type": "application/x-amz-json-1.1" },
      JSON.stringify({ UserPoolId: pool.id }),
    );
    expect(ok.status).toBe(200);
  });
});
