// Starts a Cognito emulator on 127.0.0.1:0 with a temporary state folder and a typical pool; for tests and benchmarks.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import {
  type CognitoUserPoolConfig,
  userPoolConfigFromTemplate,
} from "../../../localdev/src/cognito/config.js";
import {
  type CognitoEmulator,
  type CognitoEmulatorOptions,
  createCognitoEmulator,
} from "../../../localdev/src/cognito/emulator.js";
import { newClientId, newClientSecret, newUserPoolId } from "../../../localdev/src/cognito/ids.js";
import type { Clock } from "../../../localdev/src/shared/clock.js";
import { listen } from "../../../localdev/src/shared/listen.js";
import type { Logger } from "../../../localdev/src/shared/log.js";

export const SITE_URL = "https://main.d1abc.amplifyapp.com/";

/** A password that meets the sample pool's policy. */
export const PASSWORD = "Passw0rd!";

/** A real cognito-idp SDK client pointed at a test emulator (any credentials: the emulator checks none). */
export const cognitoSdkFor = (url: string) =>
  new CognitoIdentityProviderClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });

/** A pool shaped like the one the stack synthesizes: self sign-up, email verified, one client with a secret. */
export function samplePool(
  overrides: { poolProperties?: Record<string, unknown>; clientProperties?: Record<string, unknown> } = {},
): CognitoUserPoolConfig {
  return userPoolConfigFromTemplate({
    id: newUserPoolId("us-east-1"),
    region: "us-east-1",
    domainPrefix: "furl-kit-test",
    properties: {
      UserPoolName: "furl-kit-users",
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      AutoVerifiedAttributes: ["email"],
      Schema: [{ Name: "email", Required: true, Mutable: true }],
      ...overrides.poolProperties,
    },
    clients: [
      {
        clientId: newClientId(),
        clientSecret: newClientSecret(),
        properties: {
          ClientName: "web",
          GenerateSecret: true,
          AllowedOAuthFlows: ["code"],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: ["openid", "email"],
          CallbackURLs: [SITE_URL],
          LogoutURLs: [SITE_URL],
          SupportedIdentityProviders: ["COGNITO"],
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          AccessTokenValidity: 60,
          IdTokenValidity: 60,
          RefreshTokenValidity: 30,
          TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" },
          EnableTokenRevocation: true,
          PreventUserExistenceErrors: "ENABLED",
          ...overrides.clientProperties,
        },
      },
    ],
  });
}

export interface TestEmulator {
  emulator: CognitoEmulator;
  url: string;
  stateDir: string;
  pools: CognitoUserPoolConfig[];
  /** Stops the server; `keepState` leaves the folder for a restart test, `flush: false` simulates a crash. */
  close(options?: { keepState?: boolean; flush?: boolean }): Promise<void>;
}

export async function startTestEmulator(
  options: {
    pools?: CognitoUserPoolConfig[];
    clock?: Clock;
    log?: Logger;
    stateDir?: string;
    invokeFunction?: CognitoEmulatorOptions["invokeFunction"];
    triggerTimeoutMs?: number;
  } = {},
): Promise<TestEmulator> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "furl-cognito-"));
  const pools = options.pools ?? [samplePool()];
  let url = "";
  const emulator = createCognitoEmulator({
    pools,
    stateDir,
    publicUrl: () => url,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.invokeFunction ? { invokeFunction: options.invokeFunction } : {}),
    ...(options.triggerTimeoutMs ? { triggerTimeoutMs: options.triggerTimeoutMs } : {}),
  });
  const server = await listen(emulator.handler, 0, "cognito");
  url = server.url;
  return {
    emulator,
    url,
    stateDir,
    pools,
    close: async ({ keepState = false, flush = true } = {}) => {
      if (flush) emulator.flush();
      await server.close();
      if (!keepState) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
