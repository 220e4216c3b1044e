// What the console page shows, built from the running kit: functions, Cognito, the deployment, WAF rules.
// Nothing here carries a secret on purpose; the server still masks the serialized answer (secretMask.ts).

import { basename } from "node:path";
import { isCustomResourceType } from "../cloudformation/customResources.js";
import type { HostedUiSession, PendingConfirmation, UserSummary } from "../cognito/index.js";
import { type LocalDeployment, notEmulatedNote, SERVED_TYPES } from "../kit/deployment.js";
import type { FunctionConfig } from "../lambda/index.js";
import type { SynthesizedStack } from "../template/template.js";

export interface FunctionView {
  name: string;
  logicalId: string;
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Instances the kit starts at most. */
  maxConcurrency?: number;
  /** Variable names and values; values that hold a secret are masked by the server. */
  environment: Record<string, string>;
}

export interface CognitoView {
  pools: {
    id: string;
    logicalId: string;
    domain?: string;
    clients: { clientId: string; hasSecret: boolean }[];
  }[];
  users: UserSummary[];
  /** Sign-up confirmation codes not used yet (a used code is deleted, so it never shows). */
  confirmations: PendingConfirmation[];
  sessions: HostedUiSession[];
}

export type Treatment = "emulated" | "not emulated";

export interface ResourceView {
  logicalId: string;
  type: string;
  treatment: Treatment;
  /** Which part of the kit stands in for it, or why it is left out. */
  note: string;
}

export interface DeploymentView {
  stackName: string;
  region: string;
  templateFile: string;
  resources: ResourceView[];
  endpoints: { name: string; url: string }[];
  /** Environment settings that point the AWS SDK and CLI at the kit. */
  sdkSettings: { name: string; value: string }[];
  parameters: { name: string; type: string; value?: string }[];
  outputs: Record<string, string>;
  notEmulated: string[];
}

export interface WafRuleView {
  name: string;
  priority?: number;
  /** The rule exactly as the synthesized template has it (intrinsics unresolved). */
  asWritten: unknown;
}

export interface WafView {
  webAclLogicalId?: string;
  templateFile: string;
  defaultAction?: unknown;
  rules: WafRuleView[];
}

/** What stands in for each type the kit serves. */
const SERVED_BY: Record<string, string> = {
  "AWS::Cognito::UserPool": "Cognito emulator: users, hosted UI, /oauth2/*, cognito-idp API",
  "AWS::Cognito::UserPoolClient": "Cognito emulator: app client (callback URLs, flows, scopes, secret)",
  "AWS::Cognito::UserPoolDomain": "Cognito emulator: the hosted UI domain",
  "AWS::SSM::Parameter": "SSM emulator",
  "AWS::Lambda::Function": "Lambda runtime: the same bundle cdk deploy uploads",
  "AWS::Lambda::Url": "Function URL emulator",
  "AWS::CloudFront::Distribution": "CloudFront emulator: behaviours, origins, policies",
  "AWS::CloudFront::OriginRequestPolicy": "CloudFront emulator",
  "AWS::CloudFront::ResponseHeadersPolicy": "CloudFront emulator",
  "AWS::CloudFront::CachePolicy": "CloudFront emulator (nothing is cached locally)",
  "AWS::WAFv2::WebACL": "WAF engine: every rule in priority order",
  "AWS::WAFv2::IPSet": "WAF engine",
  "AWS::SecretsManager::Secret": "generated locally, read through SSM's /aws/reference/secretsmanager",
  "AWS::Amplify::App": "site server: what Amplify Hosting would serve",
  "AWS::Amplify::Branch": "site server",
  "Custom::CDKBucketDeployment": "site server: the deployed files with deploy-time values",
};

export function functionViews(d: LocalDeployment, configs: FunctionConfig[]): FunctionView[] {
  return configs.map((c) => ({
    name: c.name,
    logicalId: d.functions.find((f) => f.name === c.name)?.logicalId ?? c.name,
    runtime: c.runtime,
    handler: c.handler,
    memoryMb: c.memorySizeMb,
    timeoutSeconds: c.timeoutSeconds,
    ...(c.maxConcurrency !== undefined ? { maxConcurrency: c.maxConcurrency } : {}),
    environment: { ...c.environment },
  }));
}

export function cognitoView(
  d: LocalDeployment,
  state: { users: UserSummary[]; confirmations: PendingConfirmation[]; sessions: HostedUiSession[] },
): CognitoView {
  return {
    pools: d.userPools.map((p) => ({
      id: p.id,
      logicalId: p.logicalId,
      ...(p.domainPrefix ? { domain: p.domainPrefix } : {}),
      clients: p.clients.map((c) => ({ clientId: c.clientId, hasSecret: c.clientSecret !== undefined })),
    })),
    users: state.users,
    confirmations: state.confirmations,
    sessions: state.sessions,
  };
}

export function deploymentView(
  d: LocalDeployment,
  stack: SynthesizedStack,
  endpoints: Record<string, string>,
  notEmulated: string[],
): DeploymentView {
  const served = new Set(d.stackFunctions.map((f) => f.logicalId));
  const resources = Object.entries(stack.template.Resources).map(([logicalId, r]): ResourceView => {
    const custom = isCustomResourceType(r.Type) && !SERVED_TYPES.has(r.Type);
    const emulated =
      r.Type === "AWS::Lambda::Function" ? served.has(logicalId) : custom || SERVED_TYPES.has(r.Type);
    return {
      logicalId,
      type: r.Type,
      treatment: emulated ? "emulated" : "not emulated",
      note: custom
        ? "custom resource: its provider runs in the kit, as CloudFormation runs it"
        : emulated
          ? (SERVED_BY[r.Type] ?? "served by the kit")
          : notEmulatedNote(r.Type),
    };
  });
  return {
    stackName: d.stackName,
    region: d.region,
    templateFile: basename(stack.templatePath),
    resources,
    endpoints: Object.entries(endpoints).map(([name, url]) => ({ name, url })),
    sdkSettings: [
      { name: "AWS_REGION", value: d.region },
      { name: "AWS_ACCESS_KEY_ID", value: "furl-kit-local" },
      { name: "AWS_SECRET_ACCESS_KEY", value: "furl-kit-local" },
      { name: "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", value: endpoints.cognitoIdp ?? "" },
      { name: "AWS_ENDPOINT_URL_SSM", value: endpoints.ssm ?? "" },
    ],
    parameters: d.parameters.map((p) => ({
      name: p.name,
      type: p.type,
      ...(p.type === "SecureString" ? {} : { value: p.value }),
    })),
    outputs: { ...d.outputs },
    notEmulated,
  };
}

/** The distribution's web ACL with its rules as written, so a blocked request links to the rule that matched. */
export function wafView(d: LocalDeployment, stack: SynthesizedStack): WafView {
  const aclArn = d.distribution?.webAclArn;
  const acl = d.webAcls.find((a) => a.arn === aclArn) ?? d.webAcls[0];
  const raw = acl ? stack.template.Resources[acl.logicalId]?.Properties : undefined;
  const rules = Array.isArray(raw?.Rules) ? (raw.Rules as Record<string, unknown>[]) : [];
  return {
    ...(acl ? { webAclLogicalId: acl.logicalId } : {}),
    templateFile: basename(stack.templatePath),
    ...(raw?.DefaultAction !== undefined ? { defaultAction: raw.DefaultAction } : {}),
    rules: rules.map((rule) => ({
      name: String(rule.Name),
      ...(typeof rule.Priority === "number" ? { priority: rule.Priority } : {}),
      asWritten: rule,
    })),
  };
}
