// Typed user pool and app client configuration, built from resolved CloudFormation properties with AWS defaults.
import { STANDARD_ATTRIBUTES } from "./attributes.js";

export interface CognitoClientConfig {
  clientId: string;
  clientName: string;
  clientSecret?: string;
  callbackUrls: string[];
  logoutUrls: string[];
  /** `code`, `implicit`, `client_credentials` */
  allowedOAuthFlows: string[];
  allowedOAuthScopes: string[];
  allowedOAuthFlowsUserPoolClient: boolean;
  /** Normalised to the `ALLOW_*` names, e.g. `ALLOW_USER_PASSWORD_AUTH`. */
  explicitAuthFlows: string[];
  supportedIdentityProviders: string[];
  accessTokenValidityMinutes: number;
  idTokenValidityMinutes: number;
  refreshTokenValidityMinutes: number;
  enableTokenRevocation: boolean;
  preventUserExistenceErrors: boolean;
  /** The client's WriteAttributes; undefined when the template leaves them out (Cognito's default applies). */
  writeAttributes?: string[];
}

export interface CognitoPasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
}

export interface CognitoUserPoolConfig {
  id: string;
  name: string;
  region: string;
  domainPrefix?: string;
  selfSignUpEnabled: boolean;
  /** `email` and/or `phone_number` when those replace the username. */
  usernameAttributes: string[];
  autoVerifiedAttributes: string[];
  requiredAttributes: string[];
  /** Custom attributes of the schema, with their `custom:` prefix. */
  customAttributes: string[];
  passwordPolicy: CognitoPasswordPolicy;
  clients: CognitoClientConfig[];
  /** The Lambda triggers of `LambdaConfig` the kit runs (see triggers.ts), by trigger name. */
  triggers: Partial<Record<TriggerName, TriggerConfig>>;
  /** `LambdaConfig` keys the kit does not run, named at start-up. */
  triggersNotEmulated: string[];
}

export const EMULATED_TRIGGERS = [
  "PreSignUp",
  "PostConfirmation",
  "PreAuthentication",
  "PostAuthentication",
  "PreTokenGeneration",
  "CustomMessage",
] as const;
export type TriggerName = (typeof EMULATED_TRIGGERS)[number];

export interface TriggerConfig {
  functionArn: string;
  /** PreTokenGeneration's event version (PreTokenGenerationConfig.LambdaVersion); V1_0 by default. */
  version?: "V1_0" | "V2_0" | "V3_0";
}

/** The `LambdaConfig` keys of resolved pool properties the kit does not run. */
export function lambdaConfigKeysNotRun(properties: Record<string, unknown>): string[] {
  return lambdaConfig(properties.LambdaConfig).triggersNotEmulated;
}

/** The triggers of a resolved `LambdaConfig`: the ones the kit runs, and the names of the others. */
function lambdaConfig(value: unknown): Pick<CognitoUserPoolConfig, "triggers" | "triggersNotEmulated"> {
  const config = record(value);
  const triggers: CognitoUserPoolConfig["triggers"] = {};
  for (const name of EMULATED_TRIGGERS) {
    if (typeof config[name] === "string") triggers[name] = { functionArn: config[name] as string };
  }
  const tokenConfig = record(config.PreTokenGenerationConfig);
  if (typeof tokenConfig.LambdaArn === "string") {
    const version = tokenConfig.LambdaVersion;
    triggers.PreTokenGeneration = {
      functionArn: tokenConfig.LambdaArn,
      ...(version === "V2_0" || version === "V3_0" || version === "V1_0" ? { version } : {}),
    };
  }
  const handled = new Set<string>([...EMULATED_TRIGGERS, "PreTokenGenerationConfig"]);
  return { triggers, triggersNotEmulated: Object.keys(config).filter((k) => !handled.has(k)) };
}

export interface UserPoolTemplateInput {
  id: string;
  region: string;
  /** Resolved `AWS::Cognito::UserPool` Properties. */
  properties: Record<string, unknown>;
  domainPrefix?: string;
  clients: {
    clientId: string;
    clientSecret?: string;
    /** Resolved `AWS::Cognito::UserPoolClient` Properties. */
    properties: Record<string, unknown>;
  }[];
}

const MINUTES_PER_UNIT: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

// CloudFormation often carries booleans and numbers as strings ("true", "60").
function bool(value: unknown, fallback: boolean): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return fallback;
}

function num(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function validityMinutes(value: unknown, unit: unknown, defaultUnit: string, defaultMinutes: number): number {
  const amount = num(value);
  if (amount === undefined) return defaultMinutes;
  const perUnit =
    MINUTES_PER_UNIT[typeof unit === "string" ? unit : defaultUnit] ?? MINUTES_PER_UNIT[defaultUnit]!;
  return amount * perUnit;
}

// Legacy names (without ALLOW_) still appear in older templates.
function normaliseAuthFlow(flow: string): string {
  const legacy: Record<string, string> = {
    ADMIN_NO_SRP_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    USER_PASSWORD_AUTH: "ALLOW_USER_PASSWORD_AUTH",
    CUSTOM_AUTH_FLOW_ONLY: "ALLOW_CUSTOM_AUTH",
  };
  return legacy[flow] ?? flow;
}

function passwordPolicy(properties: Record<string, unknown>): CognitoPasswordPolicy {
  const policies = record(properties.Policies);
  // No PasswordPolicy at all: Cognito's default is 8 characters with every character class.
  if (!("PasswordPolicy" in policies)) {
    return {
      minimumLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
      temporaryPasswordValidityDays: 7,
    };
  }
  const p = record(policies.PasswordPolicy);
  return {
    minimumLength: num(p.MinimumLength) ?? 8,
    requireLowercase: bool(p.RequireLowercase, false),
    requireUppercase: bool(p.RequireUppercase, false),
    requireNumbers: bool(p.RequireNumbers, false),
    requireSymbols: bool(p.RequireSymbols, false),
    temporaryPasswordValidityDays: num(p.TemporaryPasswordValidityDays) ?? 7,
  };
}

function clientConfig(input: UserPoolTemplateInput["clients"][number]): CognitoClientConfig {
  const p = input.properties;
  if (bool(p.GenerateSecret, false) && !input.clientSecret) {
    throw new Error(`User pool client ${input.clientId} has GenerateSecret but no clientSecret was given`);
  }
  const units = record(p.TokenValidityUnits);
  const explicit = "ExplicitAuthFlows" in p ? strings(p.ExplicitAuthFlows) : undefined;
  return {
    clientId: input.clientId,
    clientName: typeof p.ClientName === "string" ? p.ClientName : input.clientId,
    ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}),
    callbackUrls: strings(p.CallbackURLs),
    logoutUrls: strings(p.LogoutURLs),
    allowedOAuthFlows: strings(p.AllowedOAuthFlows),
    allowedOAuthScopes: strings(p.AllowedOAuthScopes),
    allowedOAuthFlowsUserPoolClient: bool(p.AllowedOAuthFlowsUserPoolClient, false),
    // API default when ExplicitAuthFlows is absent.
    explicitAuthFlows: (
      explicit ?? ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"]
    ).map(normaliseAuthFlow),
    // Absent means COGNITO here (CDK always writes it); an explicit list without COGNITO disables the hosted UI login.
    supportedIdentityProviders:
      "SupportedIdentityProviders" in p ? strings(p.SupportedIdentityProviders) : ["COGNITO"],
    // Units default to hours for access/ID tokens and days for refresh tokens (TokenValidityUnitsType).
    accessTokenValidityMinutes: validityMinutes(p.AccessTokenValidity, units.AccessToken, "hours", 60),
    idTokenValidityMinutes: validityMinutes(p.IdTokenValidity, units.IdToken, "hours", 60),
    refreshTokenValidityMinutes: validityMinutes(
      p.RefreshTokenValidity,
      units.RefreshToken,
      "days",
      30 * 1440,
    ),
    enableTokenRevocation: bool(p.EnableTokenRevocation, true),
    // The API default is LEGACY (user existence errors are returned).
    preventUserExistenceErrors: p.PreventUserExistenceErrors === "ENABLED",
    ...("WriteAttributes" in p ? { writeAttributes: strings(p.WriteAttributes) } : {}),
  };
}

/**
 * Builds a pool's configuration from its resolved CloudFormation properties, applying the
 * CloudFormation/Cognito defaults for everything the template leaves out.
 */
export function userPoolConfigFromTemplate(input: UserPoolTemplateInput): CognitoUserPoolConfig {
  const p = input.properties;
  const adminCreate = record(p.AdminCreateUserConfig);
  const schema = Array.isArray(p.Schema) ? p.Schema.map(record) : [];
  return {
    id: input.id,
    name: typeof p.UserPoolName === "string" ? p.UserPoolName : input.id,
    region: input.region,
    ...(input.domainPrefix ? { domainPrefix: input.domainPrefix } : {}),
    selfSignUpEnabled: !bool(adminCreate.AllowAdminCreateUserOnly, false),
    usernameAttributes: strings(p.UsernameAttributes),
    autoVerifiedAttributes: strings(p.AutoVerifiedAttributes),
    requiredAttributes: schema
      .filter((attr) => bool(attr.Required, false) && typeof attr.Name === "string")
      .map((attr) => attr.Name as string),
    customAttributes: schema
      .filter((attr) => typeof attr.Name === "string" && !STANDARD_ATTRIBUTES.has(attr.Name))
      .map((attr) => `custom:${attr.Name as string}`),
    passwordPolicy: passwordPolicy(p),
    clients: input.clients.map(clientConfig),
    ...lambdaConfig(p.LambdaConfig),
  };
}

/** True when users sign in with their email address instead of a username. */
export function emailIsUsername(pool: CognitoUserPoolConfig): boolean {
  return pool.usernameAttributes.includes("email");
}
