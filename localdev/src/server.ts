// The one composition root: starts every emulator from the synthesized template. `npm start` and tests use it.
import { existsSync } from "node:fs";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { dirname, join, resolve } from "node:path";
import { API_BUNDLE, createLambdaRebuilder, type LambdaRebuilder } from "../../lambda/build.js";
import {
  type CognitoEmulator,
  createCognitoEmulator,
  newClientId,
  newClientSecret,
  newUserPoolId,
} from "./cognito/index.js";
import {
  ConsoleHistory,
  createKitConsole,
  DEFAULT_HISTORY,
  type HistoryLimits,
  type KitConsole,
  withConsole,
} from "./console/index.js";
import { createControlServer } from "./control/controlServer.js";
import { CLOUDFRONT_LISTEN_OPTIONS, type WafEngine } from "./edge/index.js";
import { createGeoLookup, type GeoLookupWithStats } from "./geo/index.js";
import {
  type FunctionUrlService,
  functionConfigFromTemplate,
  functionUrlConfigFromTemplate,
  type InvocationRecord,
  startFunctionUrlService,
} from "./lambda/index.js";
import { SERVICES, type Service, servicePort } from "./ports.js";
import { type Clock, systemClock } from "./shared/clock.js";
import { type Listening, listen, notReady } from "./shared/listen.js";
import { createLogger, type Logger } from "./shared/log.js";
import { prepareStateDir } from "./shared/stateDir.js";
import { writeJsonFileAtomic } from "./shared/stateFile.js";
import { createDevSite, type DevSite } from "./site/devSite.js";
import { createSiteServer } from "./site/siteServer.js";
import { createSsmEmulator, type SsmEmulator } from "./ssm/index.js";
import { buildLocalDeployment, findSecret, type LocalDeployment } from "./template/deployment.js";
import type { LocalUrls } from "./template/endpoints.js";
import { buildWeb, type SourceArea, sourceArea, staleAreas } from "./template/synth.js";
import { readSynthesizedStack, type SynthesizedStack } from "./template/template.js";
import { createWarmSynthesizer, type WarmSynthesizer } from "./template/warmSynth.js";
import { type SourceWatcher, watchSources } from "./watch/sourceWatcher.js";
import { cognitoPools, createEdge } from "./wiring.js";

export { SERVICES } from "./ports.js";

export interface KitOptions {
  /** Repository root (holds infra/, lambda/, web/, cdk.out/). */
  root: string;
  /** Cloud assembly folder; defaults to `<root>/cdk.out`. */
  assemblyDir?: string;
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

/** Starts the kit: servers first (so URLs are known), then the template is resolved against them. */
export async function startKit(options: KitOptions): Promise<Kit> {
  const root = resolve(options.root);
  const assemblyDir = options.assemblyDir ?? join(root, "cdk.out");
  const stateDir = options.stateDir ?? join(root, ".localdev");
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger();
  const basePort = options.basePort ?? 3000;
  const viewerCountry = (options.viewerCountry ?? "US").toUpperCase();
  prepareStateDir(stateDir, { fresh: options.fresh });

  // The Function URL runs in its own thread (see lambda/urlService.ts); the other services share this one.
  const functionUrlPort = servicePort(basePort, "functionUrl");
  const urlServiceStarting =
    options.functionUrlService ?? startFunctionUrlService({ port: functionUrlPort, log });
  urlServiceStarting.catch(() => {}); // awaited below, after the other servers
  const slots = {} as Record<Exclude<Service, "functionUrl">, Slot>;
  // With a fixed base port the thread's port is known, so it starts while the template loads.
  let startedUrlService: FunctionUrlService | undefined;
  try {
    for (const service of SERVICES) {
      if (service === "functionUrl") continue;
      const slot: Slot = { handler: notReady, listening: undefined as unknown as Listening, requests: 0 };
      slot.listening = await listen(
        (req: IncomingMessage, res: ServerResponse) => {
          slot.requests++;
          // Returned, so the error boundary also sees a handler's rejected promise.
          return slot.handler(req, res);
        },
        servicePort(basePort, service),
        service,
        { ...(service === "cloudfront" ? CLOUDFRONT_LISTEN_OPTIONS : {}), log: log.child(service) },
      );
      slots[service] = slot;
    }
    if (functionUrlPort === 0) startedUrlService = await urlServiceStarting;
  } catch (error) {
    await Promise.all(Object.values(slots).map((slot) => slot.listening.close()));
    await urlServiceStarting.then((service) => service.close()).catch(() => {});
    throw error;
  }
  const portOf = (service: Service) =>
    service === "functionUrl" ? (startedUrlService?.port ?? functionUrlPort) : slots[service].listening.port;
  const urls = Object.fromEntries(
    SERVICES.map((s) => [s, `http://127.0.0.1:${portOf(s)}`]),
  ) as unknown as LocalUrls;
  const hostOf = (service: Service) => [`127.0.0.1:${portOf(service)}`, `localhost:${portOf(service)}`];

  const siteMode = options.site ?? "build";
  let synthesizer: WarmSynthesizer | undefined = options.watch ? createWarmSynthesizer(root) : undefined;
  /** Builds the page when the stack needs it, then runs the CDK app (a warm process) into cdk.out. */
  const synthesize = async (areas: Set<SourceArea>) => {
    synthesizer ??= createWarmSynthesizer(root);
    if (areas.has("web") || !existsSync(join(root, "web", "dist", "index.html"))) await buildWeb(root);
    await synthesizer.synth(assemblyDir);
  };
  /** Sources changed since cdk.out, beyond what the kit rebuilds itself (handler bundle; page in dev mode). */
  const startupStale = options.synth === "never" ? new Set<SourceArea>() : staleAreas(root, assemblyDir);
  const synthAtStart =
    startupStale.has("infra") ||
    (siteMode === "build" && startupStale.has("web")) ||
    !existsSync(join(assemblyDir, "manifest.json"));

  let stack: SynthesizedStack;
  /** Reads the template; synthesizes first when given the areas that changed. */
  const load = async (synthFor?: Set<SourceArea>): Promise<LocalDeployment> => {
    if (synthFor) {
      const started = performance.now();
      log.info("synthesizing the stack...");
      await synthesize(synthFor);
      log.info(`synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    stack = readSynthesizedStack(assemblyDir, options.stackName);
    const d = buildLocalDeployment({
      stack,
      urls,
      stateDir,
      ids: { newUserPoolId, newClientId, newClientSecret },
    });
    if (!d.functions[0]?.url) {
      throw new Error("The template has no AWS::Lambda::Url: nothing for the kit to serve.");
    }
    return d;
  };

  // Vite's dev server loads while the template is read (it is the slowest part of a start with cdk.out current).
  const devSiteStarting =
    siteMode === "dev"
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
      urlServiceStarting.then((service) => service.close()).catch(() => {}),
    ]);
  let deployment: LocalDeployment;
  let urlService: FunctionUrlService;
  try {
    deployment = await load(synthAtStart ? startupStale : undefined);
    urlService = await urlServiceStarting;
  } catch (error) {
    await closeAll();
    throw error;
  }

  const geo = createGeoLookup();
  if (options.preloadGeoTables !== false) void geo.preload();
  let current = deployment;
  const history = new ConsoleHistory({ ...DEFAULT_HISTORY, ...options.history });
  urlService.onActivity((activity) => history.addActivity(activity));
  let kitConsole: KitConsole | undefined;
  const cognito = createCognitoEmulator({
    onChange: () => kitConsole?.cognitoChanged(),
    pools: cognitoPools(deployment),
    stateDir,
    clock,
    log: log.child("cognito"),
    publicUrl: () => urls.cognito,
    codesUrl: () => `${urls.control}/confirmation-codes`,
  });
  const ssm = createSsmEmulator({
    region: deployment.region,
    accountId: deployment.accountId,
    clock,
    log: log.child("ssm"),
    secrets: (id) => findSecret(current, id),
  });

  const functionEnvironment = (d: LocalDeployment) => ({
    AWS_REGION: d.region,
    AWS_DEFAULT_REGION: d.region,
    AWS_ACCESS_KEY_ID: "furl-kit-local",
    AWS_SECRET_ACCESS_KEY: "furl-kit-local",
    AWS_ENDPOINT_URL_SSM: urls.ssm,
  });
  /** Function logical id -> the folder of the bundle the kit rebuilt since the last synth. */
  const rebuiltCode = new Map<string, string>();
  const functionConfig = (d: LocalDeployment) => {
    const f = d.functions[0]!;
    const config = functionConfigFromTemplate({
      name: f.name,
      codeDir: rebuiltCode.get(f.logicalId) ?? f.codeDir,
      properties: f.properties,
      extraEnvironment: functionEnvironment(d),
    });
    return options.maxConcurrency ? { ...config, maxConcurrency: options.maxConcurrency } : config;
  };

  let waf: WafEngine | undefined;
  let closeEdge: (() => Promise<void>) | undefined;
  // Filled by apply(), like every handler that depends on the deployment.
  const site = createSiteServer({
    sources: [],
    rewrite: (text) => text,
    configOverlay: () => ({ local: { viewerCountry } }),
  });
  let ready = false;
  let devSite: DevSite | undefined;

  const reportedWaf = new Set<string>();
  let applied = false;

  /** (Re)configures the function and its URL: idle instances retire, the next request starts cold. */
  const configureFunction = async (d: LocalDeployment) => {
    const f = d.functions[0]!;
    const { acceptedHosts, ...url } = functionUrlConfigFromTemplate({
      urlId: f.url!.urlId,
      region: d.region,
      properties: f.url!.properties,
      acceptedHosts: () => hostOf("functionUrl"),
    });
    await urlService.configure(functionConfig(d), { ...url, acceptedHosts: acceptedHosts() });
  };

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
    ssm.store.clear();
    for (const p of d.parameters)
      ssm.store.put({ name: p.name, value: p.value, type: p.type, overwrite: true });
    await configureFunction(d);

    await closeEdge?.();
    const edge = createEdge(d, {
      origins: Object.fromEntries(
        Object.entries(d.distribution?.origins ?? {}).map(([id, o]) => [id, { url: o.url, host: o.host }]),
      ),
      geo,
      viewerCountry,
      trustForwardedFor: options.trustForwardedFor ?? false,
      clock,
      log,
      onRequest: (record) => history.addRequest(record),
    });
    waf = edge.waf;
    // The banner lists what the first web ACL cannot emulate; a reload only names what is new.
    for (const line of waf?.notEmulated ?? []) {
      if (reportedWaf.has(line)) continue;
      if (applied) log.child("waf").warn(`WAF: ${line}`);
      reportedWaf.add(line);
    }
    applied = true;
    closeEdge = edge.cloudFront?.close;
    if (edge.cloudFront) slots.cloudfront.handler = edge.cloudFront.handler;
    site.reload(d.siteSources, (text) => d.endpoints.rewrite(text));
    slots.site.handler = devSite?.handler ?? site.handler;
    slots.cognito.handler = cognito.handler;
    slots.ssm.handler = ssm.handler;
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
    };
  };

  if (devSiteStarting) devSite = await devSiteStarting;
  // Handler sources newer than cdk.out: the kit bundles them itself rather than re-synthesizing.
  if (!synthAtStart && startupStale.has("lambda")) await rebuildFunctions(deployment);
  await apply(deployment);

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
    current = next;
    cognito.reconfigure(cognitoPools(next));
    await apply(next);
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
        await configureFunction(current);
      });
    }
    if (areas.has("web") && siteMode === "dev")
      log.info("page: Vite sends the change to open browsers (hot update)");
  };
  const watcher: SourceWatcher | undefined = options.watch
    ? watchSources({
        root,
        dirs: ["infra", "lambda", "web"],
        ignore: (path) => sourceArea(path) === undefined,
        onChange: onSourceChange,
      })
    : undefined;

  const kit: Kit = {
    endpoints: endpointsOf(deployment),
    get deployment() {
      return current;
    },
    cognito,
    ssm,
    invocations: () => urlService.recentInvocations(),
    get waf() {
      return waf;
    },
    geo,
    history,
    requestCounts: () =>
      Object.fromEntries(
        SERVICES.map((s) => [s, s === "functionUrl" ? urlService.requests() : slots[s].requests]),
      ) as Record<Service, number>,
    async reload() {
      const stale = options.synth === "never" ? new Set<SourceArea>() : staleAreas(root, assemblyDir);
      await reapply(stale.size ? stale : undefined);
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
      await closeEdge?.();
      await cognito.flush();
      await closeAll();
    },
  };

  const control = createControlServer({
    ready: () => ready,
    build: (after) => (after === undefined ? Promise.resolve(build) : kit.waitForBuild(after)),
    endpoints: () => ({ ...kit.endpoints }),
    users: () => cognito.listUsers(),
    confirmationCodes: () => cognito.pendingConfirmations(),
    invocations: () => urlService.recentInvocations(),
    wafDecisions: (limit) => waf?.recentDecisions(limit) ?? [],
    parameters: () => current.parameters.map(({ name, type }) => ({ name, type })),
    requestCounts: () => kit.requestCounts(),
    notEmulated: () => [...current.notEmulated, ...(waf?.notEmulated ?? [])],
  });
  kitConsole = createKitConsole({
    history,
    log: log.child("console"),
    sources: {
      deployment: () => current,
      stack: () => stack,
      endpoints: () => ({ ...kit.endpoints }),
      functionConfigs: () => [functionConfig(current)],
      notEmulated: () => [...current.notEmulated, ...(waf?.notEmulated ?? [])],
      cognito,
      invoke: (_name, event) => urlService.invoke(event),
    },
  });
  slots.control.handler = withConsole(control.handler, kitConsole.handler);
  writeJsonFileAtomic(join(stateDir, "endpoints.json"), kit.endpoints);
  ready = true;
  // Watching: esbuild's incremental context is built now, so the first handler edit is as fast as the next.
  if (watcher && deployment.functions.some((f) => f.bundle === API_BUNDLE))
    void rebuilderFor(API_BUNDLE)
      .then((r) => r.warm())
      .catch(() => {});
  return kit;
}
