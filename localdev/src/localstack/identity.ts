// The kit's side of the LocalStack target: the AWS template resolved against the kit, and the values LocalStack's SSM needs.
import { type ConfigParameterName, configParameterName } from "../../../infra/lib/constants.js";
import { newClientId, newClientSecret, newUserPoolId } from "../cognito/index.js";
import { type LocalDeployment, localDeployment } from "../kit/deployment.js";
import { createStackView } from "../template/stackView.js";
import { readSynthesizedStack } from "../template/template.js";

export { CONFIG_PARAMETER_PREFIX } from "../../../infra/lib/constants.js";

/** Where a browser reaches the kit's servers (no trailing slash). */
export interface FrontUrls {
  site: string;
  cognito: string;
  cloudfront: string;
  /** The kit's relay to LocalStack's Function URL (direct calls, without the origin secret). */
  functionUrl: string;
}

export interface FrontDeploymentOptions {
  /** Cloud assembly of the aws target (cdk.out): Cognito, distribution, web ACL and site come from it. */
  assemblyDir: string;
  stackName?: string;
  /** Ids, client secret and origin secret persist here, so deploy and kit agree across restarts. */
  stateDir: string;
  urls: FrontUrls;
}

/**
 * Resolves the aws target's template against the kit's URLs. LocalStack's free edition has no Cognito,
 * CloudFront, WAF or Amplify, so the kit serves those from the template that describes them on AWS.
 */
export function resolveFrontDeployment(options: FrontDeploymentOptions): LocalDeployment {
  const stack = readSynthesizedStack(options.assemblyDir, options.stackName);
  const view = createStackView({
    stack,
    stateDir: options.stateDir,
    ids: { newUserPoolId, newClientId, newClientSecret },
  });
  // SSM is not served by the front (LocalStack's is); the one Function URL is the relay.
  const { urls } = options;
  return localDeployment(view, (kind) => (kind === "ssm" ? urls.functionUrl : urls[kind]));
}

/** The String values of the localstack stack variant (its `localIdentity` context). */
export interface LocalIdentityValues {
  cognitoDomainUrl: string;
  clientId: string;
  userPoolId: string;
  jwksUri: string;
  redirectUri: string;
}

/** What LocalStack's SSM must hold for the handler: Strings via the stack, SecureStrings written before deploy. */
export interface LocalStackParameters {
  identity: LocalIdentityValues;
  /** Full parameter name -> value, for the two SecureStrings. Never log these. */
  secureStrings: Record<string, string>;
}

/** Thrown when the aws template lacks a value the LocalStack target needs. */
export class FrontIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FrontIdentityError";
  }
}

/**
 * The seven handler parameters for LocalStack, from the kit's resolved deployment.
 * @param internalCognitoUrl the Cognito emulator as LocalStack's Lambda containers reach it
 *   (e.g. http://furl-kit:3001 on the compose network); defaults to the browser-facing URL.
 */
export function localStackParameters(
  deployment: LocalDeployment,
  urls: FrontUrls,
  internalCognitoUrl: string = urls.cognito,
): LocalStackParameters {
  const byName = new Map(deployment.parameters.map((p) => [p.name, p.value]));
  const value = (name: ConfigParameterName) => {
    const found = byName.get(configParameterName(name));
    if (found === undefined || found === "") {
      throw new FrontIdentityError(
        `The aws template has no ${configParameterName(name)} parameter: run \`npm run synth\``,
      );
    }
    return found;
  };
  // Browser-facing Cognito URLs become the ones the function calls from inside LocalStack's network.
  const internal = (name: ConfigParameterName) => {
    const raw = value(name);
    const base = urls.cognito.replace(/\/$/, "");
    if (!raw.startsWith(base)) {
      throw new FrontIdentityError(`${name} "${raw}" does not point at the kit's Cognito emulator (${base})`);
    }
    return `${internalCognitoUrl.replace(/\/$/, "")}${raw.slice(base.length)}`;
  };
  return {
    identity: {
      cognitoDomainUrl: internal("cognito-domain-url"),
      clientId: value("client-id"),
      userPoolId: value("user-pool-id"),
      jwksUri: internal("jwks-uri"),
      redirectUri: value("redirect-uri"),
    },
    // What the stack's SecureStringParameter provider would write: LocalStack's free edition has no Cognito for it
    // to read, so the front writes these two itself (deploy.ts), from the kit's own pool and secret.
    secureStrings: {
      [configParameterName("client-secret")]: clientSecretOf(deployment, value("client-id")),
      [configParameterName("origin-secret")]: onlySecret(deployment),
    },
  };
}

function clientSecretOf(deployment: LocalDeployment, clientId: string): string {
  const client = deployment.userPools.flatMap((p) => p.clients).find((c) => c.clientId === clientId);
  if (!client?.clientSecret)
    throw new FrontIdentityError(`App client ${clientId} has no secret in the aws template`);
  return client.clientSecret;
}

function onlySecret(deployment: LocalDeployment): string {
  const secrets = Object.values(deployment.secrets);
  if (secrets.length !== 1)
    throw new FrontIdentityError(
      `The aws template should hold one Secrets Manager secret (the origin secret), not ${secrets.length}`,
    );
  return secrets[0]!;
}
