// Loads the handler's configuration from SSM Parameter Store in one GetParameters call, cached while warm.
import { GetParametersCommand, type Parameter, SSMClient } from "@aws-sdk/client-ssm";
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import {
  CONFIG_PARAMETER_NAMES,
  CONFIG_PREFIX_ENV,
  type ConfigParameterName,
} from "../../infra/lib/constants.js";
import { ConfigError, errorName } from "./errors.js";

/** The config field of a parameter name: `cognito-domain-url` -> `cognitoDomainUrl`. */
type FieldOf<N extends string> = N extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<FieldOf<Tail>>}`
  : N;

/**
 * Everything the handler needs at run time: one field per configuration parameter the stack writes
 * (infra/lib/constants.ts CONFIG_PARAMETER_NAMES), e.g. `clientId` for `client-id`.
 */
export type AppConfig = { [N in ConfigParameterName as FieldOf<N>]: string };

/** SSM parameter name (under the prefix) for each config field. */
export const PARAMETER_SUFFIXES = Object.fromEntries(
  CONFIG_PARAMETER_NAMES.map((name) => [name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), name]),
) as Readonly<Record<keyof AppConfig, ConfigParameterName>>;

/** Environment variable holding the parameter prefix, e.g. "/furl-kit/FurlKit". */
const PREFIX_ENV = CONFIG_PREFIX_ENV;

/** Default bound on the whole SSM call, well under the function's 10 s timeout. */
export const DEFAULT_SSM_TIMEOUT_MS = 3000;

/**
 * Creates the SSM client. Endpoint, region and credentials come from the standard SDK settings
 * (`AWS_ENDPOINT_URL_SSM`, `AWS_REGION`, ...), so the same code runs on AWS and locally.
 */
export function createSsmClient(
  options: { requestTimeoutMs?: number; maxAttempts?: number } = {},
): SSMClient {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_SSM_TIMEOUT_MS;
  return new SSMClient({
    maxAttempts: options.maxAttempts ?? 2,
    requestHandler: { connectionTimeout: Math.min(1000, requestTimeout), requestTimeout },
  });
}

/** Loads config once per warm instance; a failed load is retried on the next call. */
export interface ConfigLoader {
  load(): Promise<AppConfig>;
}

/** Dependencies of {@link createConfigLoader}. */
export interface ConfigLoaderOptions {
  ssmClient: SSMClient;
  /** Read at load time so tests and runtimes can set the env before the first invocation. */
  env?: Record<string, string | undefined>;
  /** Bound on the whole call, retries included. */
  timeoutMs?: number;
}

/**
 * Creates a loader that makes ONE GetParameters call (WithDecryption) for the 7 parameters.
 * @throws {@link ConfigError} (from `load`) when the prefix is unset, SSM fails or times out, or parameters are
 *   missing or malformed; the message names parameters, never values.
 */
export function createConfigLoader(options: ConfigLoaderOptions): ConfigLoader {
  let cached: AppConfig | undefined;
  let inFlight: Promise<AppConfig> | undefined;

  return {
    load() {
      if (cached) return Promise.resolve(cached);
      inFlight ??= fetchConfig(options)
        .then((config) => {
          cached = config;
          return config;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
  };
}

async function fetchConfig(options: ConfigLoaderOptions): Promise<AppConfig> {
  const env = options.env ?? process.env;
  const prefix = env[PREFIX_ENV]?.replace(/\/+$/, "");
  if (!prefix) {
    throw new ConfigError(`the ${PREFIX_ENV} environment variable is not set.`, { reason: "prefix unset" });
  }
  const names = Object.fromEntries(
    Object.entries(PARAMETER_SUFFIXES).map(([field, suffix]) => [field, `${prefix}/${suffix}`]),
  ) as Record<keyof AppConfig, string>;

  let parameters: Parameter[];
  let invalid: string[];
  try {
    const answer = await options.ssmClient.send(
      new GetParametersCommand({ Names: Object.values(names), WithDecryption: true }),
      { abortSignal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_SSM_TIMEOUT_MS) },
    );
    parameters = answer.Parameters ?? [];
    invalid = answer.InvalidParameters ?? [];
  } catch (cause) {
    throw new ConfigError("could not load the configuration from SSM Parameter Store.", {
      reason: `ssm ${errorName(cause)}`,
      cause,
    });
  }

  const values = new Map(parameters.map((p) => [p.Name, p.Value]));
  const missing = Object.values(names).filter((name) => invalid.includes(name) || !values.get(name));
  if (missing.length > 0) {
    throw new ConfigError(`missing configuration parameters: ${missing.join(", ")}.`, {
      reason: "ssm parameters missing",
    });
  }
  const config = Object.fromEntries(
    Object.entries(names).map(([field, name]) => [field, values.get(name) as string]),
  ) as unknown as AppConfig;
  assertWellFormed(config, names);
  return config;
}

function assertWellFormed(config: AppConfig, names: Record<keyof AppConfig, string>): void {
  const bad: string[] = [];
  for (const field of ["cognitoDomainUrl", "redirectUri", "jwksUri"] as const) {
    if (!isHttpUrl(config[field])) bad.push(names[field]);
  }
  try {
    CognitoJwtVerifier.parseUserPoolId(config.userPoolId);
  } catch {
    bad.push(names.userPoolId);
  }
  if (bad.length > 0) {
    throw new ConfigError(`malformed configuration parameters: ${bad.join(", ")}.`, {
      reason: "ssm parameters malformed",
    });
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
