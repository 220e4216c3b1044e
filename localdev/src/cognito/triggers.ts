// Cognito user pool Lambda triggers, invoked as Cognito invokes them: the event shape of each trigger source, the
// 5-second limit (retried, three attempts), and the errors a caller sees when a trigger fails. Developer guide:
// cognito-user-identity-pools-working-with-aws-lambda-triggers and user-pool-lambda-* (shared reference §1).
import type { InvokeResult } from "../lambda/runtime.js";
import type { TriggerName } from "./config.js";
import { CognitoError } from "./errors.js";
import type { StoredUser } from "./poolStore.js";
import type { CognitoRuntime, Pool } from "./runtime.js";

/** Invokes a function of the stack by ARN (the kit's Lambda runtime). */
export type InvokeFunction = (functionArn: string, event: unknown) => Promise<InvokeResult>;

// "Your function must respond within 5 seconds. If it does not, Amazon Cognito retries the call. After three
// unsuccessful attempts, the function times out." The 5 s cannot be changed on AWS; tests shorten it.
export const TRIGGER_TIMEOUT_MS = 5_000;
const ATTEMPTS = 3;
const NOT_APPLICABLE = "CLIENT_ID_NOT_APPLICABLE";

export interface TriggerCall {
  triggerSource: string;
  userName: string;
  /** The app client, or none for an admin operation. */
  clientId?: string;
  userAttributes: Record<string, string>;
  /** Trigger-specific fields of `request` beyond `userAttributes`. */
  request?: Record<string, unknown>;
  /** The `response` as Cognito sends it (fields set to their documented initial values). */
  response?: Record<string, unknown>;
  /** The event `version` ("1"; PreTokenGeneration V2 "2", V3 "3"). */
  version?: string;
}

/** The attributes a trigger sees: strings, with `sub` and `cognito:user_status` as real events carry them. */
export function eventAttributes(user: StoredUser): Record<string, string> {
  return { ...user.attributes, sub: user.sub, "cognito:user_status": user.status };
}

/**
 * Runs `name` if the pool has it; returns the function's `response` object (undefined without the trigger).
 * @throws CognitoError UserLambdaValidationException, InvalidLambdaResponseException or UnexpectedLambdaException
 */
export async function runTrigger(
  runtime: CognitoRuntime,
  pool: Pool,
  name: TriggerName,
  call: TriggerCall,
): Promise<Record<string, unknown> | undefined> {
  const trigger = pool.config.triggers[name];
  if (!trigger) return undefined;
  const invoke = runtime.invokeFunction;
  if (!invoke)
    throw new CognitoError(
      "UnexpectedLambdaException",
      `${name} invocation failed due to error: the kit runs no functions here.`,
    );
  const event = {
    version: call.version ?? "1",
    triggerSource: call.triggerSource,
    region: pool.config.region,
    userPoolId: pool.config.id,
    userName: call.userName,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: call.clientId ?? NOT_APPLICABLE },
    request: { userAttributes: call.userAttributes, ...call.request },
    response: call.response ?? {},
  };
  let result: InvokeResult | "timeout" = "timeout";
  for (let attempt = 0; attempt < ATTEMPTS && result === "timeout"; attempt++)
    result = await withLimit(invoke(trigger.functionArn, event), runtime.triggerTimeoutMs);
  if (result === "timeout")
    throw new CognitoError(
      "UnexpectedLambdaException",
      `${name} invocation failed due to error Socket timeout while invoking Lambda function.`,
    );
  runtime.log.info(`${name} trigger ran`, { poolId: pool.config.id, triggerSource: call.triggerSource });
  if (!result.ok) {
    if (
      result.status === 502 &&
      !result.errorType.startsWith("Runtime.") &&
      result.errorType !== "InvalidRuntimeException"
    )
      throw new CognitoError(
        "UserLambdaValidationException",
        `${name} failed with error ${result.errorMessage}.`,
      );
    throw new CognitoError(
      "UnexpectedLambdaException",
      `${name} invocation failed due to error ${result.errorType}.`,
    );
  }
  const payload = result.payload as { response?: unknown } | null;
  if (!payload || typeof payload !== "object" || !payload.response || typeof payload.response !== "object")
    throw new CognitoError("InvalidLambdaResponseException", "Unrecognizable lambda output");
  return payload.response as Record<string, unknown>;
}

function withLimit(invocation: Promise<InvokeResult>, ms: number): Promise<InvokeResult | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return Promise.race([invocation, limit]).finally(() => clearTimeout(timer));
}

/** The claims a PreTokenGeneration trigger asked for, per token. */
export interface TokenCustomization {
  id: { add: Record<string, unknown>; suppress: string[] };
  access: { add: Record<string, unknown>; suppress: string[]; scopesAdd: string[]; scopesSuppress: string[] };
  /** `groupOverrideDetails.groupsToOverride`, when given. */
  groups?: string[];
}

// Claims no trigger may change (user-pool-lambda-pre-token-generation).
const FIXED_CLAIMS = new Set([
  "acr",
  "amr",
  "at_hash",
  "auth_time",
  "azp",
  "client_id",
  "device_key",
  "event_id",
  "exp",
  "iat",
  "identities",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "scope",
  "sub",
  "token_use",
  "username",
  "version",
  "aud",
]);
const changeable = (claim: string) =>
  !FIXED_CLAIMS.has(claim) &&
  (!claim.startsWith("cognito:") ||
    claim === "cognito:groups" ||
    claim === "cognito:roles" ||
    claim === "cognito:preferred_role");

/**
 * Runs PreTokenGeneration for a token issue (`source`: HostedAuth, Authentication, RefreshTokens, …); undefined
 * without the trigger. V1 customizes the ID token; V2 and V3 also the access token and its scopes.
 */
export async function tokenCustomization(
  runtime: CognitoRuntime,
  pool: Pool,
  input: { user: StoredUser; clientId: string; source: string; scopes: string[] },
): Promise<TokenCustomization | undefined> {
  const trigger = pool.config.triggers.PreTokenGeneration;
  if (!trigger) return undefined;
  const v2 = trigger.version === "V2_0" || trigger.version === "V3_0";
  const response = await runTrigger(runtime, pool, "PreTokenGeneration", {
    triggerSource: `TokenGeneration_${input.source}`,
    userName: input.user.username,
    clientId: input.clientId,
    userAttributes: eventAttributes(input.user),
    version: trigger.version === "V3_0" ? "3" : v2 ? "2" : "1",
    request: {
      groupConfiguration: {
        groupsToOverride: input.user.groups,
        iamRolesToOverride: [],
        preferredRole: null,
      },
      ...(v2 ? { scopes: input.scopes } : {}),
    },
    response: v2 ? { claimsAndScopeOverrideDetails: null } : { claimsOverrideDetails: null },
  });
  if (!response) return undefined;
  const claims = (value: unknown) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
      if (!changeable(k)) continue;
      // V1 claim values must be strings: anything else is "Unrecognizable lambda output".
      if (!v2 && typeof v !== "string")
        throw new CognitoError("InvalidLambdaResponseException", "Unrecognizable lambda output");
      out[k] = v;
    }
    return out;
  };
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  const details = (v2 ? response.claimsAndScopeOverrideDetails : response.claimsOverrideDetails) as
    | Record<string, Record<string, unknown> | undefined>
    | null
    | undefined;
  if (!details)
    return {
      id: { add: {}, suppress: [] },
      access: { add: {}, suppress: [], scopesAdd: [], scopesSuppress: [] },
    };
  const idPart = v2 ? details.idTokenGeneration : details;
  const accessPart = v2 ? details.accessTokenGeneration : undefined;
  const groups = details.groupOverrideDetails?.groupsToOverride;
  return {
    id: {
      add: claims(idPart?.claimsToAddOrOverride),
      suppress: list(idPart?.claimsToSuppress).filter(changeable),
    },
    access: {
      add: claims(accessPart?.claimsToAddOrOverride),
      suppress: list(accessPart?.claimsToSuppress).filter(changeable),
      scopesAdd: list(accessPart?.scopesToAdd),
      scopesSuppress: list(accessPart?.scopesToSuppress),
    },
    ...(Array.isArray(groups) ? { groups: groups.map(String) } : {}),
  };
}

/** Applies one token's part of a customization: suppression wins over an override of the same claim. */
export function customizeClaims(
  claims: Record<string, unknown>,
  part: { add: Record<string, unknown>; suppress: string[] } | undefined,
): Record<string, unknown> {
  if (!part) return claims;
  const out = { ...claims, ...part.add };
  for (const claim of part.suppress) delete out[claim];
  return out;
}

/**
 * The message a CustomMessage trigger makes for a code (`CustomMessage_SignUp`, `_ResendCode`, `_ForgotPassword`,
 * …), with the code put where `{####}` was; undefined without the trigger or when it leaves the message null.
 */
export async function customMessage(
  runtime: CognitoRuntime,
  pool: Pool,
  input: { user: StoredUser; clientId?: string; source: string; code: string },
): Promise<{ subject?: string; message: string } | undefined> {
  const response = await runTrigger(runtime, pool, "CustomMessage", {
    triggerSource: `CustomMessage_${input.source}`,
    userName: input.user.username,
    clientId: input.clientId,
    userAttributes: eventAttributes(input.user),
    request: { codeParameter: "{####}", linkParameter: "{##Click Here##}", usernameParameter: null },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  const message = response?.emailMessage ?? response?.smsMessage;
  if (typeof message !== "string") return undefined;
  if (!message.includes("{####}"))
    throw new CognitoError(
      "InvalidLambdaResponseException",
      "The custom message must contain the code parameter {####}.",
    );
  const subject = response?.emailSubject;
  return {
    message: message.split("{####}").join(input.code),
    ...(typeof subject === "string" ? { subject } : {}),
  };
}

/** `{ customization }` for an IssueRequest when the pool has PreTokenGeneration, else `{}`. */
export async function customized(
  runtime: CognitoRuntime,
  pool: Pool,
  user: StoredUser,
  clientId: string,
  source: "HostedAuth" | "Authentication" | "RefreshTokens",
  scopes: string[],
): Promise<{ customization?: TokenCustomization }> {
  const customization = await tokenCustomization(runtime, pool, { user, clientId, source, scopes });
  return customization ? { customization } : {};
}
