// "Front LocalStack": the kit's Cognito, CloudFront + WAF and site in front of the function LocalStack runs.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { cognitoPools } from "../cognito/fromTemplate.js";
import { type CognitoEmulator, createCognitoEmulator } from "../cognito/index.js";
import { createEdge } from "../edge/fromTemplate.js";
import { CLOUDFRONT_LISTEN_OPTIONS, type CloudFront, type WafEngine } from "../edge/index.js";
import { createGeoLookup, type GeoLookup } from "../geo/index.js";
import type { LocalDeployment } from "../kit/deployment.js";
import type { Clock } from "../shared/clock.js";
import { type Listening, listen } from "../shared/listen.js";
import { createLogger, type Logger } from "../shared/log.js";
import { createSiteServer } from "../site/siteServer.js";
import { parseFunctionUrl } from "./functionUrlHost.js";
import {
  type FrontUrls,
  type LocalStackParameters,
  localStackParameters,
  resolveFrontDeployment,
} from "./identity.js";
import { createFunctionUrlRelay, type FunctionUrlRelay } from "./relay.js";

/** Port offsets from the base port, the same as `npm start` uses (ssm and control are LocalStack's or absent). */
export const FRONT_PORT_OFFSETS = { site: 0, cognito: 1, functionUrl: 3, cloudfront: 4 } as const;
type FrontService = keyof typeof FRONT_PORT_OFFSETS;
const FRONT_SERVICES = Object.keys(FRONT_PORT_OFFSETS) as FrontService[];

/**
 * The kit's URLs as a browser sees them, for fixed ports (compose) — the deploy script computes the
 * same URLs before the kit starts, so both resolve the template identically.
 */
export function frontUrls(publicHost: string, basePort: number): FrontUrls {
  const url = (service: FrontService) => `http://${publicHost}:${basePort + FRONT_PORT_OFFSETS[service]}`;
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

const notReady: RequestListener = (_req, res) => {
  res.writeHead(503, { "content-type": "application/json" }).end('{"message":"furl-kit is starting"}');
};

/** Starts Cognito, CloudFront + WAF, the site and the Function URL relay in front of LocalStack. */
export async function startLocalStackFront(options: LocalStackFrontOptions): Promise<LocalStackFront> {
  const log = options.log ?? createLogger("furl-kit");
  const basePort = options.basePort ?? 3000;
  const viewerCountry = (options.viewerCountry ?? "US").toUpperCase();
  const target = parseFunctionUrl(options.localstack.functionUrl);

  const handlers = {} as Record<FrontService, RequestListener>;
  const servers: Partial<Record<FrontService, Listening>> = {};
  const closeServers = () => Promise.all(Object.values(servers).map((s) => s.close()));
  try {
    for (const service of FRONT_SERVICES) {
      handlers[service] = notReady;
      servers[service] = await listen(
        (req: IncomingMessage, res: ServerResponse) => handlers[service](req, res),
        basePort === 0 ? 0 : basePort + FRONT_PORT_OFFSETS[service],
        service,
        { ...(service === "cloudfront" ? CLOUDFRONT_LISTEN_OPTIONS : {}), host: options.bindHost },
      );
    }
  } catch (error) {
    await closeServers();
    throw error;
  }
  const publicHost = options.publicHost ?? "127.0.0.1";
  const urlOf = (service: FrontService) => `http://${publicHost}:${servers[service]!.port}`;
  const urls: FrontUrls = {
    site: urlOf("site"),
    cognito: urlOf("cognito"),
    functionUrl: urlOf("functionUrl"),
    cloudfront: urlOf("cloudfront"),
  };

  let relay: FunctionUrlRelay | undefined;
  let edge: CloudFront | undefined;
  let cognito: CognitoEmulator | undefined;
  try {
    const deployment = resolveFrontDeployment({
      assemblyDir: options.assemblyDir,
      stackName: options.stackName,
      stateDir: options.stateDir,
      urls,
    });
    const distribution = deployment.distribution;
    if (!distribution) {
      throw new Error(
        "The aws template has no AWS::CloudFront::Distribution: the front has nothing to serve.",
      );
    }
    const parameters = localStackParameters(deployment, urls, options.internalCognitoUrl);

    relay = createFunctionUrlRelay({
      endpoint: options.localstack.endpoint,
      functionUrlHost: target.host,
      log: log.child("localstack"),
    });
    cognito = createCognitoEmulator({
      pools: cognitoPools(deployment, deployment.userPools),
      stateDir: options.stateDir,
      clock: options.clock,
      log: log.child("cognito"),
      publicUrl: () => urls.cognito,
    });
    const geo = createGeoLookup();
    // Every origin (the Function URL) goes through the relay, which sends LocalStack's Host.
    const relayUrl = servers.functionUrl!.url;
    const built = createEdge(deployment, distribution, {
      origins: Object.fromEntries(
        Object.keys(distribution.origins).map((id) => [id, { url: relayUrl, host: target.host }]),
      ),
      geo,
      viewerCountry,
      trustForwardedFor: options.trustForwardedFor ?? false,
      clock: options.clock,
      log,
    });
    const waf = built.waf;
    if (!built.cloudFront) throw new Error("The distribution could not be set up.");
    edge = built.cloudFront;
    const site = createSiteServer({
      sources: deployment.siteSources,
      rewrite: (text) => deployment.endpoints.rewrite(text),
      configOverlay: () => ({ local: { viewerCountry } }),
    });
    handlers.site = site.handler;
    handlers.cognito = cognito.handler;
    handlers.functionUrl = relay.handler;
    handlers.cloudfront = edge.handler;

    const notEmulated = [...deployment.notEmulated, ...(waf?.notEmulated ?? []), ...edge.notEmulated];
    const openRelay = relay;
    const openEdge = edge;
    const openCognito = cognito;
    return {
      urls,
      deployment,
      parameters,
      cognito,
      waf,
      geo,
      functionInvocations: () => openRelay.forwarded(),
      notEmulated,
      async close() {
        await openEdge.close();
        openRelay.close();
        openCognito.flush();
        await closeServers();
      },
    };
  } catch (error) {
    await edge?.close();
    relay?.close();
    cognito?.flush();
    await closeServers();
    throw error;
  }
}
