// Names shared by the stack, the Lambda handler and the local kit: change them here only.
// Imports nothing: lambda/src bundles it into the handler (esbuild), and the kit reads it too.

/** The one CloudFormation stack of the app. */
export const STACK_NAME = "FurlKit";

/** CloudFront-scoped WAF web ACLs (and so this stack) must live in us-east-1. */
export const STACK_REGION = "us-east-1";

/** SSM path under which the handler's configuration lives (given to it in {@link CONFIG_PREFIX_ENV}). */
export const CONFIG_PARAMETER_PREFIX = "/furl-kit/FurlKit";

/** The function's environment variable holding {@link CONFIG_PARAMETER_PREFIX}. */
export const CONFIG_PREFIX_ENV = "CONFIG_PARAMETER_PREFIX";

/** Plain String parameters, written by the stack from resource attributes. */
export const STRING_PARAMETER_NAMES = [
  "cognito-domain-url",
  "client-id",
  "redirect-uri",
  "user-pool-id",
  "jwks-uri",
] as const;

/** SecureString parameters, written at deploy time by Custom::SecureStringParameter. */
export const SECURE_PARAMETER_NAMES = ["client-secret", "origin-secret"] as const;

/** Every parameter the handler reads in its single GetParameters call. */
export const CONFIG_PARAMETER_NAMES = [...STRING_PARAMETER_NAMES, ...SECURE_PARAMETER_NAMES] as const;

export type ConfigParameterName = (typeof CONFIG_PARAMETER_NAMES)[number];

/** Full SSM name of one configuration parameter, e.g. "/furl-kit/FurlKit/client-id". */
export function configParameterName(name: ConfigParameterName): string {
  return `${CONFIG_PARAMETER_PREFIX}/${name}`;
}

/** Origin header CloudFront adds and the handler checks, so the Function URL can't be called directly. */
export const ORIGIN_VERIFY_HEADER = "x-origin-verify";

/** Amplify branch that serves the site. */
export const SITE_BRANCH = "main";

/** CDK feature flag: built-in CloudFormation validation findings fail the synth instead of warning. */
export const STRICT_VALIDATION_CONTEXT = "@aws-cdk/core:validateAgainstDefaultRules";
