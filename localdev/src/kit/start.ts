// The one composition root: starts every emulator from the stack's template. `npm start` and tests use it.
import { existsSync } from "node:fs";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { dirname, join, resolve } from "node:path";
import { API_BUNDLE, createLambdaRebuilder, type LambdaRebuilder } from "../../../lambda/build.js";
import { refuseUnemulatedCall } from "../cloudformation/awsCustomResource.js";
import { CustomResourceStore } from "../cloudformation/customResourceStore.js";
import { CustomResourceRunner } from "../cloudformation/customResources.js";
import { ResponseCollector } from "../cloudformation/responseUrl.js";
import { cognitoPools } from "../cognito/fromTemplate.js";
import {
  type CognitoEmulator,
  createCognitoEmulator,
  newClientId,
  newClientSecret,
  newUserPoolId,
} from "../cognito/index.js";
import {
  ConsoleHistory,
  createKitConsole,
  DEFAULT_HISTORY,
  type HistoryLimits,
  type KitConsole,
  withConsole,
} from "../console/index.js";
import { createControlServer } from "../control/controlServer.js";
import { type Edges, startEdges } from "../edge/fromTemplate.js";
import { CLOUDFRONT_LISTEN_OPTIONS, type WafEngine } from "../edge/index.js";
import { type AwsGateway, type GatewayRoute, startAwsGateway } from "../gateway/gateway.js";
import { createGeoLookup, type GeoLookupWithStats } from "../geo/index.js";
import { FunctionUrlGroup } from "../lambda/fromTemplate.js";
import {
  type FunctionUrlService,
  functionConfigFromTemplate,
  type InvocationRecord,
  startFunctionUrlService,
} from "../lambda/index.js";
import { StackFunctions } from "../lambda/stackFunctions.js";
import { parseFunctionUrl } from "../localstack/functionUrlHost.js";
import { createFunctionUrlRelay, type FunctionUrlRelay } from "../localstack/relay.js";
import { createSecretsManagerEmulator, findLocalSecret, type LocalSecret } from "../secretsmanager/index.js";
import { LOCAL_ACCOUNT_ID } from "../shared/account.js";
import { type Clock, systemClock } from "../shared/clock.js";
import { type Listening, listen, notReady } from "../shared/listen.js";
import { createLogger, type Logger } from "../shared/log.js";
import { prepareStateDir } from "../shared/stateDir.js";
import { readJsonFile, writeJsonFileAtomic } from "../shared/stateFile.js";
import { type AmplifyDeployment, createAmplifyApi } from "../site/amplifyApi.js";
import { createDevSite, type DevSite } from "../site/devSite.js";
import { siteSlice } from "../site/fromTemplate.js";
import { createSiteServer } from "../site/siteServer.js";
import { createSsmEmulator, type SsmEmulator } from "../ssm/index.js";
import { createStackView, type ServerKind } from "../template/stackView.js";
import { buildWeb, type SourceArea, sourceArea, staleAreas } from "../template/synth.js";
import type { SynthesizedStack } from "../template/template.js";
import { createWarmSynthesizer, type WarmSynthesizer } from "../template/warmSynth.js";
import { type SourceWatcher, watchSources } from "../watch/sourceWatcher.js";
import { type LocalDeployment, localDeployment, SLICES, serversOf } from "./deployment.js";
import { PortTable, SERVICES, type Service } from "./ports.js";
import { describeSource, readStack, synthApp } from "./source.js";

export type { LocalDeployment } from "./deployment.js";
export { SERVICES } from "./ports.js";

/** In front of LocalStack: its Lambda (Function URL) and SSM are relayed; Cognito, the edge and the site run here. */
export interface LocalStackTarget {
  kind: "localstack";
  /** LocalStack's gateway as this process reaches it, e.g. http://localstack:4566 */
  endpoint: string;
  /** The stack's FunctionUrl output, e.g. http://<id>.lambda-url.us-east-1.localhost.localstack.cloud:4566/ */
  functionUrl: string;
}

/** Which services each target runs locally (the rest are relayed to the target, or absent). */
export const TARGET_SERVICES: Record<"embedded" | "localstack", readonly Service[]> = {
  embedded: SERVICES,
  localstack: ["site", "cognito", "functionUrl", "cloudfront"],
};

export interface KitOptions {
  /** The target profile: every service here (default), or in front of LocalStack. */
  target?: LocalStackTarget;
  /** Interface to bind: 127.0.0.1 (default) or 0.0.0.0 in a container. */
  bindHost?: string;
  /** Host name in the URLs a browser uses (default 127.0.0.1). */
  publicHost?: string;
  /** Repository root (holds infra/, lambda/, web/, cdk.out/); defaults to this repository. */
  root?: string;
  /** Cloud assembly folder of this repository's app; defaults to `<root>/cdk.out`. */
  assemblyDir?: string;
  /**
   * A CDK app command (as in cdk.json) instead of this repository's app: synthesized once at start with the
   * repository's CDK CLI into `<stateDir>/cdk.out`, in `appDir`. Not watched.
   */
  app?: string;
  /** The folder `app` runs in (default: `root`). */
  appDir?: string;
  /** A template file or a cloud assembly folder, read as given (no synth, not watched). */
  template?: string;
  /** Which stack of the cloud assembly (needed when it holds several). */
  stack?: string;
  /** @deprecated the same as `stack`. */
  stackName?: string;
  /** Users, keys and ids live here; defaults to `<root>/.localdev`. */
  stateDir?: string;
  /** First port; 0 gives every service an ephemeral port (tests). */
  basePort?: number;
  fresh?: boolean;
  /** Country of viewers whose IP has none (loopback): the kit's simulated location. */
  viewerCountry?: string;
  trustForwardedFor?: boolean;
  /** "auto" re-synthesizes when sources changed; "never" uses cdk.out as it is. */
  synth?: "auto" | "never";
  /**
   * "dev": the page through Vite's dev server with hot module replacement (`npm start`'s default);
   * "build": the built files the deployment uploads, served as Amplify would (the default here).
   */
  site?: "dev" | "build";
  /** Watch infra/, lambda/ and web/ and apply every saved change (see {@link KitBuild}). */
  watch?: boolean;
  clock?: Clock;
  log?: Logger;
  /**
   * Parse the IP-to-country tables in a worker thread right after start (default true), so no viewer
   * request waits for that on the main thread. Test kits that never look up a public IP turn it off to
   * save the CPU; `kit.geo.preload()` starts it later.
   */
  preloadGeoTables?: boolean;
  /** Parallel function instances. */
  maxConcurrency?: number;
  /**
   * The Function URL service, already starting on its port (`npm start` begins it before loading the rest of
   * the kit, to overlap the thread's start-up with that); started here when absent.
   */
  functionUrlService?: Promise<FunctionUrlService>;
  /** How much the console remembers: the last N viewer requests (and invocations), the last N log lines. */
  history?: Partial<HistoryLimits>;
}

/** The keys written to `<state-dir>/endpoints.json`. */
export interface KitEndpoints {
  site: string;
  signIn: string;
  cloudfront: string;
  functionUrl: string;
  cognitoDomain: string;
  cognitoIdp: string;
  issuer: string;
  userPoolId: string;
  clientId: string;
  ssm: string;
  control: string;
  /** The kit console: requests, functions, Cognito users, the deployment. */
  console: string;
  /** Every Function URL by the logical id of its AWS::Lambda::Url. */
  functionUrls: Record<string, string>;
  /** Every distribution by its logical id. */
  distributions: Record<string, string>;
  /** Every user pool: id, its app clients, its hosted UI domain's local URL. */
  userPools: { id: string; clientIds: string[]; domainUrl: string }[];
}

export interface Kit {
  endpoints: KitEndpoints;
  readonly deployment: LocalDeployment;
  cognito: CognitoEmulator;
  ssm: SsmEmulator;
  /** The function's recent invocations, newest first (the runtime lives in the Function URL's thread). */
  invocations(): Promise<InvocationRecord[]>;
  waf?: WafEngine;
  geo: GeoLookupWithStats;
  /** Requests each service has received since start (the bench counts the handler's network calls with it). */
  requestCounts(): Record<Service, number>;
  /** What the console keeps (viewer requests, invocations, log lines). */
  history: ConsoleHistory;
  /** Re-reads the template (synthesizing when stale) and reconfigures every service; users are kept. */
  reload(): Promise<void>;
  /** The build now serving: its generation grows with every change made live. */
  build(): KitBuild;
  /**
   * Resolves once a build newer than `generation` is live, or a build fails, or `timeoutMs` passes
   * (what `/health?after=<generation>` waits on).
   */
  waitForBuild(generation: number, timeoutMs?: number): Promise<KitBuild>;
  /** Public base URL of each service this target runs (no trailing slash). */
  urls: Partial<Record<Service, string>>;
  /** In front of LocalStack: the relay to its Function URL. */
  relay?: FunctionUrlRelay;
  /** What the template has that the kit does not serve: resources, WAF and CloudFront features. */
  notEmulated(): string[];
  /** Custom resources whose provider failed, each with the resources left out because of it. */
  unavailable(): string[];
  /** Every function of the stack, by name or ARN (triggers, providers, Invoke API). */
  functions: StackFunctions;
  close(): Promise<void>;
}

/** What `/health` says about builds, so tests and tools wait for a reload instead of sleeping. */
export interface KitBuild {
  /** 1 at start, +1 each time a change is live. */
  generation: number;
  /** What the last live change rebuilt, and how long it took. */
  last?: { what: string; files: string[]; durationMs: number; at: string };
  /** Builds that failed since start (the previous build kept serving each time). */
  failures: number;
  lastFailure?: { files: string[]; message: string; at: string };
}

/** A server whose handler can be swapped when the deployment changes. */
interface Slot {
  listening: Listening;
  handler: RequestListener;
  requests: number;
}

/** This repository: the default app. */
const REPO_ROOT = resolve(import.meta.dirname, "../../..");

/** Starts the kit: servers first (so URLs are known), then the template is resolved against them. */
export async function startKit(options: KitOptions = {}): Promise<Kit> {
  const root = resolve(options.root ?? REPO_ROOT);
  const stateDir = options.stateDir ?? join(root, ".localdev");
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger();
  const ports = new PortTable(options.basePort ?? 3000);
  const viewerCountry = (options.viewerCountry ?? "US").toUpperCase();
  const stackName = options.stack ?? options.stackName;
  const source = describeSource({ ...options, root, stateDir });
  const assemblyDir = source.assemblyDir;
  const relayTo = options.target;
  const localServices = TARGET_SERVICES[relayTo ? "localstack" : "embedded"];
  // Checked before anything binds: a relay needs a Function URL to relay to.
  const relayHost = relayTo ? parseFunctionUrl(relayTo.functionUrl).host : undefined;
  const ownApp = source.kind === "repo" && !relayTo;
  prepareStateDir(stateDir, { fresh: options.fresh });
  const stackFunctions = new StackFunctions({ log: log.child("lambda"), clock });

  // The first Function URL runs in its own thread (see lambda/urlService.ts); so does every further one.
  // In front of LocalStack the Function URL port is a relay instead.
  const functionUrlPort = ports.fixed("functionUrl");
  const urlServiceStarting: Promise<FunctionUrlService | undefined> = relayTo
    ? Promise.resolve(undefined)
    : (options.functionUrlService ?? startFunctionUrlService({ port: functionUrlPort, log }));
  urlServiceStarting.catch(() => {}); // awaited below, after the other servers
  const functionUrls = relayTo
    ? undefined
    : new FunctionUrlGroup(urlServiceStarting as Promise<FunctionUrlService>, (id) =>
        startFunctionUrlService({ port: ports.extra(extraKey("functionUrl", id)), log }),
      );
  const slots = {} as Record<Service, Slot>;
  /** Further servers a stack needs: `<kind>:<logicalId>` -> its slot (or Function URL thread). */
  const extraSlots = new Map<string, Slot>();
  const listenSlot = async (service: Service, port: number, name: string) => {
    const slot: Slot = { handler: notReady, listening: undefined as unknown as Listening, requests: 0 };
    slot.listening = await listen(
      (req: IncomingMessage, res: ServerResponse) => {
        slot.requests++;
        // Returned, so the error boundary also sees a handler's rejected promise.
        return slot.handler(req, res);
      },
      port,
      name,
      {
        ...(service === "cloudfront" ? CLOUDFRONT_LISTEN_OPTIONS : {}),
        host: options.bindHost,
        log: log.child(name),
      },
    );
    return slot;
  };
  // With a fixed base port the thread's port is known, so it starts while the template loads.
  let startedUrlService: FunctionUrlService | undefined;
  let gateway: AwsGateway | undefined;
  try {
    for (const service of localServices) {
      if (service === "functionUrl" && !relayTo) continue;
      slots[service] = await listenSlot(service, ports.fixed(service), service);
    }
    if (functionUrlPort === 0) startedUrlService = await urlServiceStarting;
    // Function code reaches the emulated services' AWS host names through it (LocalStack serves its own).
    if (!relayTo)
      gateway = await startAwsGateway({ stateDir, log: log.child("gateway"), host: options.bindHost });
  } catch (error) {
    await gateway?.close();
    await Promise.all(Object.values(slots).map((slot) => slot.listening.close()));
    await urlServiceStarting.then((service) => service?.close()).catch(() => {});
    throw error;
  }
  const portOf = (service: Service) =>
    service === "functionUrl" && !relayTo
      ? (startedUrlService?.port ?? functionUrlPort)
      : (slots[service]?.listening.port ?? 0);
  const publicHost = options.publicHost ?? "127.0.0.1";
  // A service the target does not run here has no URL of its own; nothing is rewritten to it.
  const urls = Object.fromEntries(
    SERVICES.map((s) => [
      s,
      localServices.includes(s)
        ? `http://${publicHost}:${portOf(s)}`
        : `http://${publicHost}:${portOf("functionUrl")}`,
    ]),
  ) as Record<Service, string>;

  /** The servers of `view`'s stack: kind -> logical ids; the first of each kind is the fixed one. */
  let servers: Record<ServerKind, string[]> = {
    functionUrl: [],
    cloudfront: [],
    site: [],
    cognito: [],
    ssm: [],
  };
  const extraKey = (kind: ServerKind, logicalId: string) => `${kind}:${logicalId}`;
  const isFirst = (kind: ServerKind, logicalId?: string) =>
    logicalId === undefined || servers[kind].indexOf(logicalId) <= 0;
  /** Listens on every further server the stack asks for (kept across reloads; a gone one answers 503). */
  const ensureServers = async () => {
    // A relay stands for the one Function URL LocalStack serves.
    await functionUrls?.ensure(servers.functionUrl);
    for (const kind of ["cloudfront", "site"] as const) {
      for (const id of servers[kind].slice(1)) {
        const key = extraKey(kind, id);
        if (!extraSlots.has(key))
          extraSlots.set(key, await listenSlot(kind, ports.extra(key), `${kind} ${id}`));
      }
    }
  };
  const urlOf = (kind: ServerKind, logicalId?: string): string => {
    if (kind === "cognito" || kind === "ssm" || isFirst(kind, logicalId)) return urls[kind];
    const key = extraKey(kind, logicalId!);
    const port =
      kind === "functionUrl" ? functionUrls?.portOf(logicalId!) : extraSlots.get(key)?.listening.port;
    return port === undefined ? urls[kind] : `http://${publicHost}:${port}`;
  };

  const siteMode = options.site ?? "build";
  let synthesizer: WarmSynthesizer | undefined =
    options.watch && ownApp ? createWarmSynthesizer(root) : undefined;
  /** Builds the page when the stack needs it, then runs the CDK app (a warm process) into cdk.out. */
  const synthesize = async (areas: Set<SourceArea>) => {
    synthesizer ??= createWarmSynthesizer(root);
    if (areas.has("web") || !existsSync(join(root, "web", "dist", "index.html"))) await buildWeb(root);
    await synthesizer.synth(assemblyDir);
  };
  /** Sources changed since cdk.out, beyond what the kit rebuilds itself (handler bundle; page in dev mode). */
  const stale = () =>
    options.synth === "never" || !ownApp ? new Set<SourceArea>() : staleAreas(root, assemblyDir);
  const startupStale = stale();
  const synthAtStart =
    ownApp &&
    (startupStale.has("infra") ||
      (siteMode === "build" && startupStale.has("web")) ||
      !existsSync(join(assemblyDir, "manifest.json")));

  let stack: SynthesizedStack;
  // Custom resources run here in the embedded target; LocalStack's CloudFormation runs its own.
  const customResourceStore = relayTo ? undefined : new CustomResourceStore(stateDir);
  let customResources: CustomResourceRunner | undefined;
  let responses: ResponseCollector | undefined;
  /** A view of the current stack with every custom resource answer so far (and what still waits for one). */
  const viewOf = (s: SynthesizedStack) =>
    createStackView({
      stack: s,
      stateDir,
      ids: { newUserPoolId, newClientId, newClientSecret },
      ...(customResources
        ? {
            customResource: (id: string) => customResources!.outcome(id),
            unavailable: customResources.unavailable(s.template),
          }
        : {}),
    });
  const customResourceRunner = (s: SynthesizedStack) => {
    responses = new ResponseCollector(s.region);
    return new CustomResourceRunner({
      store: customResourceStore!,
      responses,
      stackId: `arn:aws:cloudformation:${s.region}:${LOCAL_ACCOUNT_ID}:stack/${s.stackName}/local`,
      invoke: (arn, event) => stackFunctions.invoke(arn, event),
      provider: (token) => {
        const f = stackFunctions.find(token);
        return (
          f && { name: f.name, environment: f.config.environment, timeoutSeconds: f.config.timeoutSeconds }
        );
      },
      localProviders: LOCAL_PROVIDERS,
      refuse: (_type, properties, requestType) =>
        refuseUnemulatedCall(properties, requestType, new Set(gatewayRoutes(current).map((r) => r.service))),
      log: log.child("cloudformation"),
    });
  };
  /** Reads the template; synthesizes first when given the areas that changed. */
  const load = async (synthFor?: Set<SourceArea>): Promise<LocalDeployment> => {
    if (synthFor) {
      const started = performance.now();
      log.info("synthesizing the stack...");
      await synthesize(synthFor);
      log.info(`synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    stack = readStack({ ...options, root, stateDir, stack: stackName }, assemblyDir);
    if (customResourceStore && !customResources) customResources = customResourceRunner(stack);
    const view = viewOf(stack);
    servers = serversOf(view);
    if (!servers.functionUrl.length) {
      throw new Error("The template has no AWS::Lambda::Url: nothing for the kit to serve.");
    }
    await ensureServers();
    return localDeployment(view, urlOf);
  };

  // Vite's dev server loads while the template is read (it is the slowest part of a start with cdk.out current).
  const devSiteStarting =
    siteMode === "dev" && ownApp
      ? createDevSite({
          root,
          server: slots.site.listening.server,
          configJson: (req, res) => site.handler(req, res),
        })
      : undefined;
  devSiteStarting?.catch(() => {}); // awaited below
  const closeAll = () =>
    Promise.all([
      devSiteStarting?.then((d) => d.close()).catch(() => {}),
      ...Object.values(slots).map((slot) => slot.listening.close()),
      ...[...extraSlots.values()].map((slot) => slot.listening.close()),
      gateway?.close(),
      functionUrls?.close(),
    ]);
  let deployment: LocalDeployment;
  try {
    if (source.kind === "app") {
      const started = performance.now();
      log.info(`synthesizing ${options.app}...`);
      await synthApp(root, options.app!, resolve(options.appDir ?? root), assemblyDir);
      log.info(`synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    deployment = await load(synthAtStart ? startupStale : undefined);
    await functionUrls?.ready();
  } catch (error) {
    await closeAll();
    throw error;
  }
  /** The Function URL thread serving `urlLogicalId` (the first URL: the fixed one). */
  const relay = relayTo
    ? createFunctionUrlRelay({
        endpoint: relayTo.endpoint,
        functionUrlHost: relayHost!,
        log: log.child("localstack"),
      })
    : undefined;

  const geo = createGeoLookup();
  if (options.preloadGeoTables !== false) void geo.preload();
  let current = deployment;
  const history = new ConsoleHistory({ ...DEFAULT_HISTORY, ...options.history });
  functionUrls?.onActivity((activity) => history.addActivity(activity));
  let kitConsole: KitConsole | undefined;
  const cognito = createCognitoEmulator({
    // Lambda triggers run as the stack's functions, on the kit's Lambda runtime.
    invokeFunction: (arn, event) => stackFunctions.invoke(arn, event),
    onChange: () => kitConsole?.cognitoChanged(),
    pools: cognitoPools(deployment, deployment.userPools),
    stateDir,
    clock,
    log: log.child("cognito"),
    publicUrl: () => urls.cognito,
    ...(localServices.includes("control") ? { codesUrl: () => `${urls.control}/confirmation-codes` } : {}),
  });
  const ssm = createSsmEmulator({
    stateFile: join(stateDir, "ssm-parameters.json"),
    region: deployment.region,
    accountId: deployment.accountId,
    clock,
    log: log.child("ssm"),
    // `/aws/reference/secretsmanager/<id>` reads what Secrets Manager answers for that id.
    secrets: (id) => findLocalSecret(localSecrets(current.secrets), id)?.value,
  });

  // What each Amplify branch was last deployed from (kept, as Amplify keeps the branch's site).
  const amplifyStateFile = join(stateDir, "amplify-deployments.json");
  const amplifyDeployments = readJsonFile<Record<string, AmplifyDeployment>>(amplifyStateFile, {});
  const amplifyApi = createAmplifyApi({
    deploy(deployment) {
      // The stack as it stands now: the BucketDeployment filling the bucket may have answered a moment ago.
      if (!siteSlice.extract(viewOf(stack)).some((b) => b.name === deployment.bucket))
        throw new Error(
          `s3://${deployment.bucket}/ is not a bucket the kit serves (no BucketDeployment fills it)`,
        );
      amplifyDeployments[`${deployment.appId}/${deployment.branchName}`] = deployment;
      writeJsonFileAtomic(amplifyStateFile, amplifyDeployments);
      // Served once the deployment's answer is applied (deployCustomResources applies it again).
      log
        .child("amplify")
        .info(
          `${deployment.branchName} of ${deployment.appId} deployed from s3://${deployment.bucket}/${deployment.prefix}`,
        );
    },
  });
  /**
   * What the site port serves: with Amplify, what its production branch was last deployed from (nothing before
   * the first deployment, as on Amplify); without, the first bucket's files.
   */
  const siteSourcesOf = (d: LocalDeployment) => {
    const app = d.amplifyApps[0];
    // In front of LocalStack the kit stands in for Amplify without its deploy step (LocalStack runs the stack's
    // custom resources, and its free edition has no Amplify): the bucket's files, as deployed.
    if (!app || !customResources) return d.siteSources;
    const branch = app.branches.find((b) => b.stage === "PRODUCTION") ?? app.branches[0];
    const deployed = branch && amplifyDeployments[`${app.appId}/${branch.branchName}`];
    const bucket = deployed && d.buckets.find((b) => b.name === deployed.bucket);
    if (!bucket) return [];
    return bucket.sources.map((source) => ({ ...source, dir: join(source.dir, deployed.prefix) }));
  };
  const secretsManager = createSecretsManagerEmulator({ log: log.child("secretsmanager") });
  /** The AWS APIs function code reaches by their host names (and the pre-signed ResponseURL of custom resources). */
  const gatewayRoutes = (d: LocalDeployment): GatewayRoute[] => [
    {
      service: "cognito-idp",
      hosts: [`cognito-idp.${d.region}.amazonaws.com`, `*.auth.${d.region}.amazoncognito.com`],
      targetPrefixes: ["AWSCognitoIdentityProviderService."],
      handler: (req, res) => cognito.handler(req, res),
    },
    {
      service: "ssm",
      hosts: [`ssm.${d.region}.amazonaws.com`],
      targetPrefixes: ["AmazonSSM."],
      handler: ssm.handler,
    },
    {
      service: "amplify",
      hosts: [`amplify.${d.region}.amazonaws.com`],
      handler: (req, res) => amplifyApi.handler(req, res),
    },
    {
      service: "secretsmanager",
      hosts: [`secretsmanager.${d.region}.amazonaws.com`],
      targetPrefixes: ["secretsmanager."],
      handler: secretsManager.handler,
    },
  ];
  const functionEnvironment = (d: LocalDeployment) => ({
    AWS_REGION: d.region,
    AWS_DEFAULT_REGION: d.region,
    AWS_ACCESS_KEY_ID: "furl-kit-local",
    AWS_SECRET_ACCESS_KEY: "furl-kit-local",
    AWS_ENDPOINT_URL_SSM: urls.ssm,
  });
  /** Function logical id -> the folder of the bundle the kit rebuilt since the last synth. */
  const rebuiltCode = new Map<string, string>();
  const functionConfig = (d: LocalDeployment, f: LocalDeployment["functions"][number]) => {
    const config = functionConfigFromTemplate({
      name: f.name,
      codeDir: rebuiltCode.get(f.logicalId) ?? f.codeDir,
      properties: f.properties,
      extraEnvironment: functionEnvironment(d),
    });
    if (gateway) config.hostRouting = gateway.hostRouting();
    return options.maxConcurrency ? { ...config, maxConcurrency: options.maxConcurrency } : config;
  };

  let waf: WafEngine | undefined;
  let edges: Edges | undefined;
  // Filled by apply(), like every handler that depends on the deployment.
  const site = createSiteServer({
    sources: [],
    rewrite: (text) => text,
    configOverlay: () => ({ local: { viewerCountry } }),
  });
  const bucketSites = new Map<string, ReturnType<typeof createSiteServer>>();
  let ready = false;
  let devSite: DevSite | undefined;

  /**
   * Runs the custom resources that are new or changed (each after what it depends on) and, when an answer
   * changed, applies the deployment again so the resources using its Ref or Data get them.
   */
  const deployCustomResources = async () => {
    if (!customResources) return;
    if (!(await customResources.deploy(stack.template, () => viewOf(stack)))) return;
    current = localDeployment(viewOf(stack), urlOf);
    cognito.reconfigure(cognitoPools(current, current.userPools));
    await apply(current);
  };
  const unavailableLines = () =>
    (customResources?.failures(stack.template) ?? []).map(
      ({ failure, unavailable }) =>
        `${failure.logicalId} (${failure.type}) ${failure.requestType} failed: ${failure.reason}` +
        (unavailable.length ? `; unavailable because of it: ${unavailable.join(", ")}` : ""),
    );

  const reportedWaf = new Set<string>();
  let applied = false;

  /** (Re)configures every function and its URL: idle instances retire, the next request starts cold. */
  const configureFunctions = (d: LocalDeployment) =>
    functionUrls?.configure(d.functions, d.region, (f) => functionConfig(d, f));

  const rebuilders = new Map<string, Promise<LambdaRebuilder>>();
  const rebuilderFor = (bundle: string) => {
    let rebuilder = rebuilders.get(bundle);
    if (!rebuilder) {
      rebuilder = createLambdaRebuilder(join(stateDir, "bundles", bundle, "index.mjs"), join(root, "lambda"));
      rebuilders.set(bundle, rebuilder);
    }
    return rebuilder;
  };
  /** Rebuilds the bundle of every function built from lambda/ (esbuild's incremental context); no synth. */
  const rebuildFunctions = async (d: LocalDeployment) => {
    for (const f of d.functions) {
      if (f.bundle !== API_BUNDLE) continue;
      const { outfile, rebuild } = await rebuilderFor(f.bundle);
      await rebuild();
      rebuiltCode.set(f.logicalId, dirname(outfile));
    }
  };

  /** Builds the handlers that depend on the deployment; called at start and on every reload. */
  const apply = async (d: LocalDeployment) => {
    secretsManager.reconfigure(localSecrets(d.secrets));
    gateway?.setRoutes([
      ...gatewayRoutes(d),
      ...(responses ? [{ service: "s3", hosts: [responses.host], handler: responses.handler }] : []),
    ]);
    ssm.store.applyTemplate(d.parameters);
    stackFunctions.configure(
      d.stackFunctions.map((f) => ({
        logicalId: f.logicalId,
        name: f.name,
        arn: f.arn,
        config: {
          ...functionConfigFromTemplate({
            name: f.name,
            codeDir: rebuiltCode.get(f.logicalId) ?? f.codeDir,
            properties: f.properties,
            extraEnvironment: functionEnvironment(d),
          }),
          ...(gateway ? { hostRouting: gateway.hostRouting() } : {}),
        },
      })),
    );
    await configureFunctions(d);

    await edges?.close();
    for (const slot of extraSlots.values()) slot.handler = notReady;
    // In front of LocalStack every origin (the Function URL) goes through the relay, which sends LocalStack's Host.
    const relayOrigin = { url: `http://127.0.0.1:${portOf("functionUrl")}`, host: relayHost! };
    edges = startEdges(d, {
      geo,
      viewerCountry,
      trustForwardedFor: options.trustForwardedFor ?? false,
      clock,
      log,
      onRequest: (record) => history.addRequest(record),
      ...(relay
        ? { originsOf: (x) => Object.fromEntries(Object.keys(x.origins).map((id) => [id, relayOrigin])) }
        : {}),
    });
    waf = edges.waf;
    for (const line of edges.notEmulated.waf) {
      // The banner lists what the web ACLs cannot emulate; a reload only names what is new.
      if (reportedWaf.has(line)) continue;
      if (applied) log.child("waf").warn(`WAF: ${line}`);
      reportedWaf.add(line);
    }
    edges.served.forEach(({ distribution, cloudFront }, i) => {
      const slot =
        i === 0 ? slots.cloudfront : extraSlots.get(extraKey("cloudfront", distribution.logicalId))!;
      slot.handler = cloudFront.handler;
    });
    applied = true;
    const rewrite = (text: string) => d.endpoints.rewrite(text);
    amplifyApi.reconfigure(d.amplifyApps);
    site.reload(siteSourcesOf(d), rewrite);
    slots.site.handler = devSite?.handler ?? site.handler;
    for (const bucket of d.buckets.slice(1)) {
      let server = bucketSites.get(bucket.logicalId);
      if (!server) {
        server = createSiteServer({ sources: [], rewrite });
        bucketSites.set(bucket.logicalId, server);
      }
      server.reload(bucket.sources, rewrite);
      extraSlots.get(extraKey("site", bucket.logicalId))!.handler = server.handler;
    }
    slots.cognito.handler = cognito.handler;
    if (slots.ssm) slots.ssm.handler = ssm.handler;
    if (relay) slots.functionUrl.handler = relay.handler;
  };

  const endpointsOf = (d: LocalDeployment): KitEndpoints => {
    const pool = d.userPools[0];
    const client = pool?.clients[0];
    return {
      site: `${urls.site}/`,
      signIn: d.outputs.SignInUrl ?? "",
      cloudfront: `${urls.cloudfront}/`,
      functionUrl: `${urls.functionUrl}/`,
      cognitoDomain: urls.cognito,
      cognitoIdp: urls.cognito,
      issuer: pool ? `https://cognito-idp.${d.region}.amazonaws.com/${pool.id}` : "",
      userPoolId: pool?.id ?? "",
      clientId: client?.clientId ?? "",
      ssm: urls.ssm,
      control: urls.control,
      console: `${urls.control}/console/`,
      functionUrls: Object.fromEntries(
        d.functions.map((f) => [f.url!.logicalId, `${urlOf("functionUrl", f.url!.logicalId)}/`]),
      ),
      distributions: Object.fromEntries(
        d.distributions.map((x) => [x.logicalId, `${urlOf("cloudfront", x.logicalId)}/`]),
      ),
      userPools: d.userPools.map((p) => ({
        id: p.id,
        clientIds: p.clients.map((c) => c.clientId),
        domainUrl: urls.cognito,
      })),
    };
  };

  if (devSiteStarting) devSite = await devSiteStarting;
  // Handler sources newer than cdk.out: the kit bundles them itself rather than re-synthesizing.
  if (!synthAtStart && startupStale.has("lambda")) await rebuildFunctions(deployment);
  await apply(deployment);
  await deployCustomResources();

  let build: KitBuild = { generation: 1, failures: 0 };
  const buildWaiters = new Set<() => void>();
  /** Runs one rebuild; a failure leaves everything serving as it was, and says so. */
  const makeLive = async (what: string, files: string[], work: () => Promise<void>) => {
    const started = performance.now();
    try {
      await work();
      const durationMs = Math.round(performance.now() - started);
      build = {
        ...build,
        generation: build.generation + 1,
        last: { what, files, durationMs, at: new Date().toISOString() },
      };
      log.info(`live: ${what} in ${durationMs} ms (generation ${build.generation})`);
    } catch (error) {
      const message = (error as Error).message;
      build = {
        ...build,
        failures: build.failures + 1,
        lastFailure: { files, message, at: new Date().toISOString() },
      };
      log.error(`build failed, still serving generation ${build.generation}:\n${message}`);
    }
    for (const wake of buildWaiters) wake();
  };

  /** Re-reads the template after a synth, keeping users and ids. */
  const reapply = async (synthFor?: Set<SourceArea>) => {
    const next = await load(synthFor);
    // Resources gone from the template are deleted while their providers still run.
    if (await customResources?.deleteGone(stack.template)) current = localDeployment(viewOf(stack), urlOf);
    else current = next;
    cognito.reconfigure(cognitoPools(current, current.userPools));
    await apply(current);
    await deployCustomResources();
    kit.endpoints = endpointsOf(next);
    kitConsole?.deploymentChanged();
    writeJsonFileAtomic(join(stateDir, "endpoints.json"), kit.endpoints);
  };

  /** One batch of saved files, from the watcher: rebuild only what they change. */
  const onSourceChange = async (files: string[]) => {
    const areas = new Set(files.map(sourceArea).filter((a): a is SourceArea => a !== undefined));
    if (!areas.size) return;
    log.info(`change seen: ${files.join(", ")}`);
    if (areas.has("infra") || (siteMode === "build" && areas.has("web"))) {
      await makeLive("stack re-synthesized and applied (users and ids kept)", files, async () => {
        // In dev mode Vite serves the page: its edits need no production build.
        await synthesize(new Set([...areas].filter((a) => a !== "web" || siteMode === "build")));
        // The synth bundled the handler from the current source: the asset is current again.
        rebuiltCode.clear();
        await reapply();
      });
    } else if (areas.has("lambda")) {
      await makeLive("function bundle rebuilt; the next request starts it cold", files, async () => {
        await rebuildFunctions(current);
        await configureFunctions(current);
      });
    }
    if (areas.has("web") && siteMode === "dev")
      log.info("page: Vite sends the change to open browsers (hot update)");
  };
  // The repository's own app is watched; a user's app or template is read once.
  const watcher: SourceWatcher | undefined =
    options.watch && ownApp
      ? watchSources({
          root,
          dirs: ["infra", "lambda", "web"],
          ignore: (path) => sourceArea(path) === undefined,
          onChange: onSourceChange,
        })
      : undefined;

  const recentInvocations = async () => (await functionUrls?.recentInvocations()) ?? [];

  const kit: Kit = {
    endpoints: endpointsOf(deployment),
    get deployment() {
      return current;
    },
    cognito,
    ssm,
    invocations: recentInvocations,
    get waf() {
      return waf;
    },
    geo,
    history,
    requestCounts: () =>
      Object.fromEntries(
        SERVICES.map((s) => [
          s,
          s === "functionUrl"
            ? (functionUrls?.requests() ?? slots.functionUrl?.requests ?? 0)
            : (slots[s]?.requests ?? 0),
        ]),
      ) as Record<Service, number>,
    async reload() {
      const areas = stale();
      await reapply(areas.size ? areas : undefined);
    },
    build: () => build,
    waitForBuild(generation, timeoutMs = 30_000) {
      const failures = build.failures;
      return new Promise((resolveBuild) => {
        const check = () => {
          if (build.generation <= generation && build.failures === failures) return;
          clearTimeout(timer);
          buildWaiters.delete(check);
          resolveBuild(build);
        };
        const timer = setTimeout(() => {
          buildWaiters.delete(check);
          resolveBuild(build);
        }, timeoutMs);
        buildWaiters.add(check);
        check();
      });
    },
    async close() {
      ready = false;
      kitConsole?.close();
      watcher?.close();
      synthesizer?.close();
      await Promise.all([...rebuilders.values()].map((r) => r.then((x) => x.dispose()).catch(() => {})));
      await edges?.close();
      relay?.close();
      await cognito.flush();
      await stackFunctions.close();
      await closeAll();
    },
    urls: Object.fromEntries(localServices.map((s) => [s, urls[s]])),
    relay,
    unavailable: () => unavailableLines(),
    functions: stackFunctions,
    notEmulated: () => [
      ...current.notEmulated,
      ...(waf?.notEmulated ?? []),
      ...(edges?.notEmulated.cloudFront ?? []),
    ],
  };

  const notEmulated = () => [...current.notEmulated, ...(waf?.notEmulated ?? [])];
  const control = createControlServer({
    ready: () => ready,
    build: (after) => (after === undefined ? Promise.resolve(build) : kit.waitForBuild(after)),
    endpoints: () => ({ ...kit.endpoints }),
    users: () => cognito.listUsers(),
    confirmationCodes: () => cognito.pendingConfirmations(),
    invocations: recentInvocations,
    wafDecisions: (limit) => waf?.recentDecisions(limit) ?? [],
    parameters: () => current.parameters.map(({ name, type }) => ({ name, type })),
    requestCounts: () => kit.requestCounts(),
    notEmulated,
  });
  writeJsonFileAtomic(join(stateDir, "endpoints.json"), kit.endpoints);
  ready = true;
  // Watching: esbuild's incremental context is built now, so the first handler edit is as fast as the next.
  if (watcher && deployment.functions.some((f) => f.bundle === API_BUNDLE))
    void rebuilderFor(API_BUNDLE)
      .then((r) => r.warm())
      .catch(() => {});
  // A target without a control port (in front of LocalStack) has no console either.
  if (!slots.control) return kit;
  kitConsole = createKitConsole({
    history,
    log: log.child("console"),
    sources: {
      deployment: () => current,
      stack: () => stack,
      endpoints: () => flatEndpoints(kit.endpoints),
      functionConfigs: () => current.functions.map((f) => functionConfig(current, f)),
      notEmulated,
      cognito,
      invoke: (name, event) => {
        const f = current.functions.find((x) => x.name === name) ?? current.functions[0]!;
        if (!functionUrls) throw new Error(`${f.name} runs in the target, not in the kit`);
        return functionUrls.invoke(f.url!.logicalId, event);
      },
    },
  });
  slots.control.handler = withConsole(control.handler, kitConsole.handler);
  return kit;
}

/** The stack's secrets as Secrets Manager names them (`arn:…:secret:<name>-<6 characters>`). */
function localSecrets(secrets: Record<string, string>): LocalSecret[] {
  return Object.entries(secrets).map(([arn, value]) => ({
    arn,
    name: arn.slice(arn.indexOf(":secret:") + 8).replace(/-[A-Za-z0-9]{6}$/, ""),
    value,
  }));
}

/** The custom resource providers the services play themselves (types whose real handlers cannot run here). */
const LOCAL_PROVIDERS = Object.assign({}, ...SLICES.map((slice) => slice.customResourceProviders ?? {}));

/** The endpoints as name -> URL, one line each (the console lists them so). */
export function flatEndpoints(e: KitEndpoints): Record<string, string> {
  const { functionUrls, distributions, userPools, ...single } = e;
  return {
    ...single,
    ...Object.fromEntries(Object.entries(functionUrls).map(([id, url]) => [`functionUrl ${id}`, url])),
    ...Object.fromEntries(Object.entries(distributions).map(([id, url]) => [`distribution ${id}`, url])),
    ...Object.fromEntries(userPools.map((p) => [`userPool ${p.id}`, p.domainUrl])),
  };
}
