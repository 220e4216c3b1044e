// Cognito's Lambda triggers through the cognito-idp JSON API (the real SDK v3 client), each trigger a function of
// its own behind a stand-in for the kit's Lambda runtime: the event Cognito sends, what the response changes, and
// the errors a failing trigger gives.
import { createHmac } from "node:crypto";
import {
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
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
import type { InvokeResult } from "../lambda/runtime.js";
import type { InvokeFunction } from "./triggers.js";

const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
type Event = Record<string, any>;
const events: Event[] = [];
/** Each "function": takes the event, returns it (with a response), throws, or never answers. */
const functions: Record<string, (event: Event) => Event | Promise<Event>> = {
  preSignUp(event) {
    const email: string = event.request.userAttributes.email ?? "";
    if (email.endsWith("@blocked.example")) throw new Error("Registration from this domain is not allowed.");
    if (email.endsWith("@auto.example"))
      event.response = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false };
    return event;
  },
  postConfirmation: (event) => event,
  preAuthentication(event) {
    if (event.userName.startsWith("denied")) throw new Error("not today");
    return event;
  },
  postAuthentication: (event) => event,
  preTokenGeneration(event) {
    event.response = {
      claimsOverrideDetails: {
        claimsToAddOrOverride: { "custom:tier": "gold", sub: "overridden?" },
        claimsToSuppress: ["email"],
      },
    };
    return event;
  },
  customMessage(event) {
    event.response.emailSubject = "Welcome";
    event.response.emailMessage = `Hello ${event.userName}, your code is ${event.request.codeParameter}`;
    return event;
  },
};
const invokeFunction = async (functionArn: string, event: unknown): Promise<InvokeResult> => {
  const name = functionArn.split(":").pop()!;
  events.push(structuredClone(event) as Event);
  try {
    const payload = await functions[name]!(structuredClone(event) as Event);
    return { ok: true, payload, durationMs: 1, requestId: "r", instanceId: "i", cold: false };
  } catch (error) {
    return {
      ok: false,
      errorType: "Error",
      errorMessage: (error as Error).message,
      status: 502,
      requestId: "r",
    };
  }
};

const pool = samplePool({
  poolProperties: {
    LambdaConfig: {
      PreSignUp: arn("preSignUp"),
      PostConfirmation: arn("postConfirmation"),
      PreAuthentication: arn("preAuthentication"),
      PostAuthentication: arn("postAuthentication"),
      PreTokenGeneration: arn("preTokenGeneration"),
      CustomMessage: arn("customMessage"),
      UserMigration: arn("migrate"),
    },
  },
});
const client = pool.clients[0]!;
let env: TestEmulator;
let sdk: CognitoIdentityProviderClient;
const secretHash = (username: string) =>
  createHmac("sha256", client.clientSecret!)
    .update(username + client.clientId)
    .digest("base64");
const signUp = (username: string, email: string) =>
  sdk.send(
    new SignUpCommand({
      ClientId: client.clientId,
      Username: username,
      Password: PASSWORD,
      SecretHash: secretHash(username),
      UserAttributes: [{ Name: "email", Value: email }],
      ValidationData: [{ Name: "invite", Value: "yes" }],
    }),
  );
const login = (username: string) =>
  sdk.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: client.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: PASSWORD, SECRET_HASH: secretHash(username) },
    }),
  );
const sourcesSince = (n: number) => events.slice(n).map((e) => e.triggerSource);

beforeAll(async () => {
  env = await startTestEmulator({ pools: [pool], invokeFunction });
  sdk = cognitoSdkFor(env.url);
});
afterAll(() => env.close());

describe("Cognito Lambda triggers", () => {
  it("names LambdaConfig keys it does not run", () => {
    expect(pool.triggersNotEmulated).toEqual(["UserMigration"]);
  });

  it("PreSignUp sees Cognito's event; autoConfirmUser and autoVerifyEmail confirm at once, then PostConfirmation", async () => {
    const before = events.length;
    const out = await signUp("ann", "ann@auto.example");
    expect(out.UserConfirmed).toBe(true);
    expect(events[before]).toMatchObject({
      version: "1",
      triggerSource: "PreSignUp_SignUp",
      region: "us-east-1",
      userPoolId: pool.id,
      userName: "ann",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: client.clientId },
      request: { userAttributes: { email: "ann@auto.example" }, validationData: { invite: "yes" } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(sourcesSince(before)).toEqual(["PreSignUp_SignUp", "PostConfirmation_ConfirmSignUp"]);
    const user = env.emulator.listUsers().find((u) => u.username === "ann")!;
    expect(user).toMatchObject({ status: "CONFIRMED", emailVerified: true });
  });

  it("a throwing PreSignUp gives UserLambdaValidationException with Cognito's text, and no user", async () => {
    const error = await sdkErrorOf(signUp("bob", "bob@blocked.example"));
    expect(error.name).toBe("UserLambdaValidationException");
    expect(error.message).toBe("PreSignUp failed with error Registration from this domain is not allowed..");
    expect(env.emulator.listUsers().some((u) => u.username === "bob")).toBe(false);
  });

  it("CustomMessage's text, with the real code, is what the kit delivers; ConfirmSignUp then runs PostConfirmation", async () => {
    const before = events.length;
    await signUp("cara", "cara@example.com");
    expect(sourcesSince(before)).toEqual(["PreSignUp_SignUp", "CustomMessage_SignUp"]);
    expect(events.at(-1)!.request).toMatchObject({ codeParameter: "{####}" });
    const pending = env.emulator.pendingConfirmations().find((c) => c.username === "cara")!;
    expect(pending.message).toBe(`Hello cara, your code is ${pending.code}`);
    await sdk.send(
      new ConfirmSignUpCommand({
        ClientId: client.clientId,
        Username: "cara",
        ConfirmationCode: pending.code,
        SecretHash: secretHash("cara"),
      }),
    );
    expect(events.at(-1)).toMatchObject({
      triggerSource: "PostConfirmation_ConfirmSignUp",
      request: { userAttributes: { "cognito:user_status": "CONFIRMED", email_verified: "true" } },
    });
  });

  it("sign-in runs Pre- and PostAuthentication and PreTokenGeneration, whose claim is in the ID token", async () => {
    const before = events.length;
    const out = await login("ann");
    expect(sourcesSince(before)).toEqual([
      "PreAuthentication_Authentication",
      "PostAuthentication_Authentication",
      "TokenGeneration_Authentication",
    ]);
    const id = decodeJwt(out.AuthenticationResult!.IdToken!);
    expect(id["custom:tier"]).toBe("gold");
    expect(id.email).toBeUndefined();
    // `sub` cannot be changed by a trigger.
    expect(id.sub).not.toBe("overridden?");
  });

  it("a throwing PreAuthentication denies the sign-in with its message", async () => {
    await signUp("denied-dan", "dan@auto.example");
    const error = await sdkErrorOf(login("denied-dan"));
    expect(error.name).toBe("UserLambdaValidationException");
    expect(error.message).toBe("PreAuthentication failed with error not today.");
  });
});

describe("Cognito's limits on a trigger", () => {
  /** The SignUp error of a pool whose only trigger is PreSignUp, run by `invokeFunction`. */
  async function signUpErrorWith(invokeFunction: InvokeFunction, triggerTimeoutMs?: number) {
    const env = await startTestEmulator({
      pools: [samplePool({ poolProperties: { LambdaConfig: { PreSignUp: arn("only") } } })],
      invokeFunction,
      ...(triggerTimeoutMs ? { triggerTimeoutMs } : {}),
    });
    try {
      const c = env.pools[0]!.clients[0]!;
      return await sdkErrorOf(
        cognitoSdkFor(env.url).send(
          new SignUpCommand({
            ClientId: c.clientId,
            Username: "eve",
            Password: PASSWORD,
            SecretHash: createHmac("sha256", c.clientSecret!).update(`eve${c.clientId}`).digest("base64"),
            UserAttributes: [{ Name: "email", Value: "eve@example.com" }],
          }),
        ),
      );
    } finally {
      await env.close();
    }
  }

  it("retries a trigger that does not answer within the limit, then answers UnexpectedLambdaException", async () => {
    let calls = 0;
    const error = await signUpErrorWith(() => {
      calls++;
      return new Promise<InvokeResult>(() => {});
    }, 20);
    expect(error.name).toBe("UnexpectedLambdaException");
    expect(error.message).toBe(
      "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
    );
    expect(calls).toBe(3);
  });

  it("answers InvalidLambdaResponseException for output that is not the event", async () => {
    const error = await signUpErrorWith(async () => ({
      ok: true,
      payload: "nope",
      durationMs: 1,
      requestId: "r",
      instanceId: "i",
      cold: false,
    }));
    expect(error.name).toBe("InvalidLambdaResponseException");
    expect(error.message).toBe("Unrecognizable lambda output");
  });
});
