// The Function URL's slice of the template: every function that has an AWS::Lambda::Url, each URL on its own
// local port (the first keeps base+3); and every other function, run on demand (triggers, custom resources).
import { BUNDLE_METADATA_KEY } from "../../../lambda/build.js";
import { TemplateResolveError } from "../template/intrinsics.js";
import type { ServiceSlice, StackView } from "../template/stackView.js";
import type { FunctionActivity } from "./activity.js";
import type { FunctionConfig } from "./config.js";
import type { InvocationRecord, InvokeResult } from "./runtime.js";
import { functionUrlConfigFromTemplate } from "./urlConfig.js";
import type { FunctionUrlService } from "./urlService.js";

export interface LocalFunction {
  logicalId: string;
  name: string;
  codeDir: string;
  /** The build definition the code comes from (template Metadata `furl-kit:bundle`), when the app names one. */
  bundle?: string;
  properties: Record<string, unknown>;
  url?: { logicalId: string; urlId: string; awsHost: string; properties: Record<string, unknown> };
}

/** A function of the stack that is not behind a URL of its own: a trigger, a custom-resource provider, … */
export interface LocalStackFunction {
  logicalId: string;
  name: string;
  arn: string;
  codeDir: string;
  properties: Record<string, unknown>;
}

/**
 * Every function of the stack whose code the kit can find (Cognito triggers, custom-resource providers and the
 * Invoke API run them); the rest are returned as lines saying why not.
 */
export function stackFunctionsOf(view: StackView): { functions: LocalStackFunction[]; skipped: string[] } {
  const functions: LocalStackFunction[] = [];
  const skipped: string[] = [];
  for (const id of view.resourcesOfType("AWS::Lambda::Function")) {
    try {
      functions.push({
        logicalId: id,
        name: view.ref(id),
        arn: String(view.getAtt(id, "Arn")),
        codeDir: view.assetDir(id),
        properties: view.localProperties(id),
      });
    } catch (error) {
      skipped.push(`AWS::Lambda::Function ${id}: not runnable locally (${(error as Error).message})`);
    }
  }
  return { functions, skipped };
}

const urlHost = (view: StackView, urlId: string) => new URL(String(view.getAtt(urlId, "FunctionUrl"))).host;

export const functionUrlSlice: ServiceSlice<LocalFunction[]> = {
  name: "lambda",
  types: ["AWS::Lambda::Url", "AWS::Lambda::Function"],
  notes: {
    "AWS::Lambda::Permission": "permissions are not enforced locally",
    "AWS::Logs::LogGroup": "function logs go to the kit's log",
  },
  servers: (view) => ({ kind: "functionUrl", ids: view.resourcesOfType("AWS::Lambda::Url") }),
  endpoints(view, urlOf) {
    for (const id of view.resourcesOfType("AWS::Lambda::Url"))
      view.endpoints.add(urlHost(view, id), urlOf("functionUrl", id));
  },
  extract: (view) =>
    view.resourcesOfType("AWS::Lambda::Url").map((urlId) => {
      const target = view.resource(urlId).Properties?.TargetFunctionArn;
      const functionId = view
        .resourcesOfType("AWS::Lambda::Function")
        .find((id) => view.refersTo(target, id));
      if (!functionId)
        throw new TemplateResolveError(`${urlId}: TargetFunctionArn does not name a function here`);
      const bundle = view.resource(functionId).Metadata?.[BUNDLE_METADATA_KEY];
      return {
        logicalId: functionId,
        name: view.ref(functionId),
        codeDir: view.assetDir(functionId),
        ...(typeof bundle === "string" ? { bundle } : {}),
        properties: view.localProperties(functionId),
        url: {
          logicalId: urlId,
          urlId: view.record(urlId).id,
          awsHost: urlHost(view, urlId),
          properties: view.localProperties(urlId),
        },
      };
    }),
};

/**
 * Every Function URL of the stack, each in a thread of its own (lambda/urlService.ts): the first on the port it
 * was started on, the others started as the stack asks for them (kept across reloads).
 */
export class FunctionUrlGroup {
  private first: FunctionUrlService | undefined;
  private readonly extras = new Map<string, FunctionUrlService>();
  private readonly listeners: ((activity: FunctionActivity) => void)[] = [];
  private urlIds: string[] = [];

  constructor(
    private readonly firstStarting: Promise<FunctionUrlService>,
    private readonly startOne: (urlLogicalId: string) => Promise<FunctionUrlService>,
  ) {
    firstStarting.then((service) => service.onActivity((a) => this.emit(a))).catch(() => {});
  }

  private emit(activity: FunctionActivity): void {
    for (const listener of this.listeners) listener(activity);
  }

  /** Starts a thread for every URL past the first that has none yet. */
  async ensure(urlLogicalIds: string[]): Promise<void> {
    this.urlIds = urlLogicalIds;
    for (const id of urlLogicalIds.slice(1)) {
      if (this.extras.has(id)) continue;
      const service = await this.startOne(id);
      service.onActivity((a) => this.emit(a));
      this.extras.set(id, service);
    }
  }

  /** Waits for the first thread (started before the template was read). */
  async ready(): Promise<void> {
    this.first = await this.firstStarting;
  }

  /** The port of a URL's thread; the first's once {@link ready}. */
  portOf(urlLogicalId: string): number | undefined {
    return this.serviceOf(urlLogicalId)?.port;
  }

  private serviceOf(urlLogicalId: string): FunctionUrlService | undefined {
    return this.urlIds.indexOf(urlLogicalId) <= 0 ? this.first : this.extras.get(urlLogicalId);
  }

  private all(): FunctionUrlService[] {
    return [...(this.first ? [this.first] : []), ...this.extras.values()];
  }

  /** (Re)configures every function and its URL: idle instances retire, the next request starts cold. */
  async configure(
    functions: LocalFunction[],
    region: string,
    configOf: (f: LocalFunction) => FunctionConfig,
  ) {
    for (const f of functions) {
      const service = this.serviceOf(f.url!.logicalId)!;
      const hosts = [`127.0.0.1:${service.port}`, `localhost:${service.port}`];
      const { acceptedHosts: _, ...url } = functionUrlConfigFromTemplate({
        urlId: f.url!.urlId,
        region,
        properties: f.url!.properties,
        acceptedHosts: () => hosts,
      });
      await service.configure(configOf(f), { ...url, acceptedHosts: hosts });
    }
  }

  onActivity(listener: (activity: FunctionActivity) => void): void {
    this.listeners.push(listener);
  }

  /** Every URL's recent invocations, newest first. */
  async recentInvocations(): Promise<InvocationRecord[]> {
    const lists = await Promise.all(this.all().map((s) => s.recentInvocations()));
    return lists.flat().sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Requests all URLs have received since start. */
  requests(): number {
    return this.all().reduce((sum, service) => sum + service.requests(), 0);
  }

  /** Sends `event` straight to the function behind `urlLogicalId`. */
  invoke(urlLogicalId: string, event: unknown): Promise<InvokeResult> {
    const service = this.serviceOf(urlLogicalId);
    if (!service) return Promise.reject(new Error(`No Function URL ${urlLogicalId} here`));
    return service.invoke(event);
  }

  async close(): Promise<void> {
    await Promise.all([
      this.firstStarting.then((s) => s.close()).catch(() => {}),
      ...[...this.extras.values()].map((s) => s.close().catch(() => {})),
    ]);
  }
}
