// "Front LocalStack": the kit's Cognito, CloudFront + WAF and site in front of the function LocalStack runs. A
// target profile of the one composition root (kit/start.ts), not a second start-up.
import type { CognitoEmulator } from "../cognito/index.js";
import type { WafEngine } from "../edge/index.js";
import type { GeoLookup } from "../geo/index.js";
import type { LocalDeployment } from "../kit/deployment.js";
import { SERVICES } from "../kit/ports.js";
import { startKit } from "../kit/start.js";
import type { Clock } from "../shared/clock.js";
import { createLogger, type Logger } from "../shared/log.js";
import { type FrontUrls, type LocalStackParameters, localStackParameters } from "./identity.js";

/** The kit's URLs as a browser sees them, for fixed ports (compose): the same port table as `npm start`. */
export function frontUrls(publicHost: string, basePort: number): FrontUrls {
  const url = (service: keyof FrontUrls) => `http://${publicHost}:${basePort + SERVICES.indexOf(service)}`;
  return {
    site: url("site"),
    cognito: url("cognito"),
    functionUrl: url("functionUrl"),
    cloudfront: url("cloudfront"),
  };
}

export interface LocalStackFrontOptions {
  /** Cloud assembly of the aws target (cdk.out). */
  assemblyDir: string;
  stackName?: string;
  /** Shared with the deploy script: the ids and secrets written to LocalStack live here. */
  stateDir: string;
  localstack: {
    /** LocalStack's gateway as this process reaches it, e.g. http://localstack:4566 */
    endpoint: string;
    /** The stack's FunctionUrl output, e.g. http://<id>.lambda-url.us-east-1.localhost.localstack.cloud:4566/ */
    functionUrl: string;
  };
  /** First port (site); 0 gives every server an ephemeral port (tests). Default 3000. */
  basePort?: number;
  /** Interface to bind: 127.0.0.1 (default) or 0.0.0.0 in a container. */
  bindHost?: string;
  /** Host name in the URLs a browser uses (default 127.0.0.1; compose: localhost). */
  publicHost?: string;
  /** The Cognito emulator as LocalStack's Lambda containers reach it, e.g. http://furl-kit:3001. */
  internalCognitoUrl?: string;
  /** Country of viewers whose IP has none (loopback, private). Default US. */
  viewerCountry?: string;
  trustForwardedFor?: boolean;
  clock?: Clock;
  log?: Logger;
}

export interface LocalStackFront {
  urls: FrontUrls;
  deployment: LocalDeployment;
  /** What LocalStack's SSM must hold (the deploy script writes it); secrets inside: never log. */
  parameters: LocalStackParameters;
  cognito: CognitoEmulator;
  waf?: WafEngine;
  geo: GeoLookup;
  /** Requests passed on to LocalStack's Function URL (through CloudFront or directly). */
  functionInvocations(): number;
  /** What the template has that neither LocalStack nor the kit serves. */
  notEmulated: string[];
  close(): Promise<void>;
}

/** Starts Cognito, CloudFront + WAF, the site and the Function URL relay in front of LocalStack. */
export async function startLocalStackFront(options: LocalStackFrontOptions): Promise<LocalStackFront> {
  const kit = await startKit({
    target: { kind: "localstack", ...options.localstack },
    assemblyDir: options.assemblyDir,
    stack: options.stackName,
    stateDir: options.stateDir,
    basePort: options.basePort ?? 3000,
    bindHost: options.bindHost,
    publicHost: options.publicHost,
    viewerCountry: options.viewerCountry,
    trustForwardedFor: options.trustForwardedFor,
    clock: options.clock,
    log: options.log ?? createLogger("furl-kit"),
    synth: "never",
    preloadGeoTables: false,
  });
  try {
    const deployment = kit.deployment;
    if (!deployment.distribution) {
      throw new Error(
        "The aws template has no AWS::CloudFront::Distribution: the front has nothing to serve.",
      );
    }
    const urls = kit.urls as FrontUrls;
    const parameters = localStackParameters(deployment, urls, options.internalCognitoUrl);
    const relay = kit.relay!;
    return {
      urls,
      deployment,
      parameters,
      cognito: kit.cognito,
      waf: kit.waf,
      geo: kit.geo,
      functionInvocations: () => relay.forwarded(),
      notEmulated: kit.notEmulated(),
      close: () => kit.close(),
    };
  } catch (error) {
    await kit.close();
    throw error;
  }
}
