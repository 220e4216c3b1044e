// Custom resources as CloudFormation runs them: the provider behind the ServiceToken gets the lifecycle event
// (Create at the first deployment, Update when the properties change, Delete when the resource leaves the
// template), answers through the ResponseURL, and its PhysicalResourceId and Data become the resource's Ref and
// Fn::GetAtt values. CloudFormation user guide: crpg-ref-requests, crpg-ref-requesttypes-*, crpg-ref-responses.
import { randomUUID } from "node:crypto";
import type { InvokeResult } from "../lambda/runtime.js";
import type { Logger } from "../shared/log.js";
import type { LocalCustomResourceProvider, StackView } from "../template/stackView.js";
import type { CfnTemplate } from "../template/template.js";
import type {
  CustomResourceFailure,
  CustomResourceRecord,
  CustomResourceStore,
} from "./customResourceStore.js";
import { dependencyGraph, dependentsOf, dependsOn } from "./references.js";
import type { ProviderAnswer, ResponseCollector } from "./responseUrl.js";

export type RequestType = "Create" | "Update" | "Delete";

export const isCustomResourceType = (type: string) =>
  type === "AWS::CloudFormation::CustomResource" || type.startsWith("Custom::");

/** The event a provider receives (crpg-ref-requests). */
export interface CustomResourceEvent {
  RequestType: RequestType;
  ServiceToken: string;
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  ResourceType: string;
  ResourceProperties: Record<string, unknown>;
  PhysicalResourceId?: string;
  OldResourceProperties?: Record<string, unknown>;
}

/** What the kit knows of the function behind a ServiceToken. */
export interface ProviderFunction {
  name: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
}

export interface CustomResourceRunnerOptions {
  store: CustomResourceStore;
  responses: ResponseCollector;
  stackId: string;
  /** Invokes a function of the stack by ARN (CloudFormation invokes providers asynchronously). */
  invoke(functionArn: string, event: CustomResourceEvent): Promise<InvokeResult>;
  /** The function a ServiceToken names, when the stack has it. */
  provider(serviceToken: string): ProviderFunction | undefined;
  localProviders?: Readonly<Record<string, LocalCustomResourceProvider>>;
  /** A reason not to send the event at all (a call the kit knows cannot succeed here), else undefined. */
  refuse?(type: string, properties: Record<string, unknown>, requestType: RequestType): string | undefined;
  log: Logger;
  /** How long an answer may follow the end of the provider's invocation (default 2 s). */
  graceMs?: number;
}

// "The custom resource provider must respond … within one hour" (crpg-ref-requesttypes); ServiceTimeout may shorten it.
const DEFAULT_SERVICE_TIMEOUT_S = 3600;
const STILL_WAITING_EVERY_MS = 30_000;
const MAX_PHYSICAL_ID_BYTES = 1024;

export class CustomResourceRunner {
  private lastFailures = new Map<string, CustomResourceFailure>();

  constructor(private readonly options: CustomResourceRunnerOptions) {}

  /** The provider's answer for a resource that has one (the stack view's Ref and Fn::GetAtt). */
  outcome(logicalId: string): CustomResourceRecord | undefined {
    return this.options.store.get(logicalId);
  }

  /**
   * Custom resources of `template` without an answer yet (not created, or their Create failed), and every
   * resource depending on one: no service serves these until the provider answers.
   */
  unavailable(template: CfnTemplate): Set<string> {
    // A type the kit plays itself is answered in the first wave and serves from its template meanwhile.
    const local = this.options.localProviders ?? {};
    const pending = customResourcesOf(template).filter(
      (id) => !this.options.store.get(id) && !Object.hasOwn(local, template.Resources[id]!.Type),
    );
    return new Set([...pending, ...dependentsOf(dependencyGraph(template), pending)]);
  }

  /** What failed in the last run, with what could not be deployed because of it. */
  failures(template: CfnTemplate): { failure: CustomResourceFailure; unavailable: string[] }[] {
    const graph = dependencyGraph(template);
    return [...this.lastFailures.values()].map((failure) => ({
      failure,
      unavailable:
        failure.requestType === "Create" && !this.options.store.get(failure.logicalId)
          ? [...dependentsOf(graph, [failure.logicalId])]
          : [],
    }));
  }

  /** Sends Delete for every answered resource `template` no longer has (before their providers go away). */
  async deleteGone(template: CfnTemplate): Promise<boolean> {
    const gone = this.options.store
      .ids()
      .filter((id) => template.Resources[id]?.Type !== this.options.store.get(id)!.type);
    await Promise.all(
      gone.map(async (id) => {
        const record = this.options.store.get(id)!;
        this.lastFailures.delete(id);
        await this.send(id, record.type, "Delete", record.properties, record);
        // A failed Delete leaves nothing to retry against: CloudFormation would report DELETE_FAILED.
        this.options.store.delete(id);
      }),
    );
    return gone.length > 0;
  }

  /**
   * Creates or updates every custom resource of the template whose properties are new or changed, each after the
   * custom resources it depends on; independent ones run side by side. `viewFor` gives a view with every answer so
   * far, so a resource's properties may use another custom resource's Data.
   * @returns whether any answer changed (the deployment then needs applying again)
   */
  async deploy(template: CfnTemplate, viewFor: () => StackView): Promise<boolean> {
    const graph = dependencyGraph(template);
    const pending = new Set(customResourcesOf(template));
    const failedNow = new Set<string>();
    let changed = false;
    while (pending.size) {
      const wave = [...pending].filter(
        (id) => ![...pending].some((o) => o !== id && dependsOn(graph, id, o)),
      );
      if (!wave.length) {
        for (const id of pending)
          this.fail(id, "Create", "it is part of a circular dependency between custom resources");
        break;
      }
      const view = viewFor();
      const results = await Promise.all(
        wave.map(async (id) => {
          pending.delete(id);
          const type = template.Resources[id]!.Type;
          const previous = this.options.store.get(id);
          const requestType = previous ? "Update" : "Create";
          const blocker = [...failedNow].find((f) => dependsOn(graph, id, f));
          if (blocker) {
            failedNow.add(id);
            return this.fail(id, requestType, `it depends on ${blocker}, which failed`, type);
          }
          let properties: Record<string, unknown>;
          try {
            properties = asProviderSees(view.properties(id)) as Record<string, unknown>;
          } catch (error) {
            failedNow.add(id);
            return this.fail(
              id,
              requestType,
              `its properties cannot be resolved: ${(error as Error).message}`,
              type,
            );
          }
          if (previous && previous.type === type && sameJson(previous.properties, properties)) return false;
          const ok = await this.send(id, type, requestType, properties, previous);
          if (!ok) failedNow.add(id);
          return ok;
        }),
      );
      changed ||= results.some(Boolean);
    }
    return changed;
  }

  /** One lifecycle event, answered; the store holds the result. Returns whether it succeeded. */
  private async send(
    logicalId: string,
    type: string,
    requestType: RequestType,
    properties: Record<string, unknown>,
    previous: CustomResourceRecord | undefined,
  ): Promise<boolean> {
    const started = performance.now();
    const { log } = this.options;
    const serviceToken = String(properties.ServiceToken ?? "");
    const local = this.options.localProviders?.[type];
    if (local) {
      const answer = local(properties, requestType, previous);
      if (requestType !== "Delete")
        this.options.store.set(logicalId, { type, serviceToken, noEcho: false, properties, ...answer });
      this.lastFailures.delete(logicalId);
      return true;
    }
    if (!serviceToken) return this.fail(logicalId, requestType, "it has no ServiceToken", type);
    const refusal = this.options.refuse?.(type, properties, requestType);
    if (refusal) return this.fail(logicalId, requestType, refusal, type);
    const provider = this.options.provider(serviceToken);
    if (!provider) {
      return this.fail(
        logicalId,
        requestType,
        `its ServiceToken ${serviceToken} names no function of this stack (only Lambda-backed custom resources run locally)`,
        type,
      );
    }
    const requestId = randomUUID();
    const event: CustomResourceEvent = {
      RequestType: requestType,
      ServiceToken: serviceToken,
      ResponseURL: this.options.responses.urlFor(this.options.stackId, logicalId, requestId),
      StackId: this.options.stackId,
      RequestId: requestId,
      LogicalResourceId: logicalId,
      ResourceType: type,
      ResourceProperties: properties,
      ...(previous ? { PhysicalResourceId: previous.physicalResourceId } : {}),
      ...(requestType === "Update" && previous ? { OldResourceProperties: previous.properties } : {}),
    };
    log.info(`${logicalId} (${type}): ${requestType} sent to ${provider.name}`);
    const answer = await this.ask(event, provider, serviceTimeoutSeconds(properties));
    const checked = answer.ok ? checkResponse(answer.response, event) : answer;
    const ms = Math.round(performance.now() - started);
    if (!checked.ok) return this.fail(logicalId, requestType, checked.reason, type);
    const response = checked.response;
    if (response.Status !== "SUCCESS")
      return this.fail(
        logicalId,
        requestType,
        String(response.Reason ?? "(the provider gave no Reason)"),
        type,
      );
    this.lastFailures.delete(logicalId);
    log.info(`${logicalId} (${type}): ${requestType} succeeded in ${ms} ms`);
    if (requestType === "Delete") return true;
    const physicalResourceId = String(response.PhysicalResourceId);
    this.options.store.set(logicalId, {
      type,
      serviceToken,
      physicalResourceId,
      data: (response.Data as Record<string, unknown> | undefined) ?? {},
      noEcho: response.NoEcho === true || response.NoEcho === "true",
      properties,
    });
    if (requestType === "Update" && previous && previous.physicalResourceId !== physicalResourceId) {
      // A new physical id is a replacement: CloudFormation deletes the old resource in its cleanup phase.
      // Which properties that Delete carries is not documented (UNCONFIRMED); the old ones are sent.
      log.info(
        `${logicalId}: replaced (${previous.physicalResourceId} -> ${physicalResourceId}); deleting the old one`,
      );
      await this.sendCleanupDelete(logicalId, type, previous);
    }
    return true;
  }

  private async sendCleanupDelete(logicalId: string, type: string, old: CustomResourceRecord): Promise<void> {
    const provider = this.options.provider(old.serviceToken);
    if (!provider) return;
    const requestId = randomUUID();
    const answer = await this.ask(
      {
        RequestType: "Delete",
        ServiceToken: old.serviceToken,
        ResponseURL: this.options.responses.urlFor(this.options.stackId, logicalId, requestId),
        StackId: this.options.stackId,
        RequestId: requestId,
        LogicalResourceId: logicalId,
        ResourceType: type,
        ResourceProperties: old.properties,
        PhysicalResourceId: old.physicalResourceId,
      },
      provider,
      serviceTimeoutSeconds(old.properties),
    );
    if (!answer.ok || answer.response.Status !== "SUCCESS")
      this.options.log.warn(
        `${logicalId}: deleting the replaced ${old.physicalResourceId} failed: ${answer.ok ? String(answer.response.Reason) : answer.reason}`,
      );
  }

  /** Invokes the provider and waits for its answer at the ResponseURL. */
  private ask(
    event: CustomResourceEvent,
    provider: ProviderFunction,
    timeoutSeconds: number,
  ): Promise<ProviderAnswer> {
    const { responses, log } = this.options;
    const graceMs = this.options.graceMs ?? 2_000;
    // CDK's provider framework with isComplete answers from a waiter state machine, after its onEvent returned.
    const answersLater = provider.environment.USER_IS_COMPLETE_FUNCTION_ARN !== undefined;
    const timers: NodeJS.Timeout[] = [];
    const answered = responses.expect(event.RequestId);
    const invocation = this.options.invoke(event.ServiceToken, event);
    const afterInvocation = invocation.then(
      (result) =>
        new Promise<ProviderAnswer>((resolve) => {
          if (result.ok && answersLater) return;
          timers.push(
            setTimeout(
              () =>
                resolve({
                  ok: false,
                  reason: result.ok
                    ? `${provider.name} finished without sending a response to the ResponseURL (CloudFormation would wait ${timeoutSeconds} s)`
                    : `${provider.name} failed without sending a response: ${result.errorType}: ${result.errorMessage}`,
                }),
              graceMs,
            ),
          );
        }),
    );
    const timedOut = new Promise<ProviderAnswer>((resolve) => {
      timers.push(
        setTimeout(
          () =>
            resolve({ ok: false, reason: `No response from ${provider.name} within ${timeoutSeconds} s` }),
          timeoutSeconds * 1000,
        ),
      );
      const waiting = setInterval(
        () => log.info(`${event.LogicalResourceId}: still waiting for ${provider.name}'s response`),
        STILL_WAITING_EVERY_MS,
      );
      timers.push(waiting);
    });
    return Promise.race([answered, afterInvocation, timedOut]).finally(() => {
      for (const timer of timers) clearTimeout(timer);
      responses.cancel(event.RequestId);
    });
  }

  private fail(logicalId: string, requestType: RequestType, reason: string, type = ""): false {
    this.lastFailures.set(logicalId, { logicalId, type, requestType, reason });
    this.options.log.error(`${logicalId} (${type}): ${requestType} failed: ${reason}`);
    return false;
  }
}

function customResourcesOf(template: CfnTemplate): string[] {
  return Object.keys(template.Resources).filter((id) => isCustomResourceType(template.Resources[id]!.Type));
}

/** "All property values arrive as strings": numbers and booleans become strings, at any depth. */
export function asProviderSees(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(asProviderSees);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asProviderSees(v)]));
  return value;
}

function serviceTimeoutSeconds(properties: Record<string, unknown>): number {
  const value = Number(properties.ServiceTimeout);
  return Number.isInteger(value) && value >= 1 && value <= 3600 ? value : DEFAULT_SERVICE_TIMEOUT_S;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The response rules of crpg-ref-responses. */
function checkResponse(response: Record<string, unknown>, event: CustomResourceEvent): ProviderAnswer {
  const bad = (reason: string): ProviderAnswer => ({ ok: false, reason: `Invalid response: ${reason}` });
  if (response.Status !== "SUCCESS" && response.Status !== "FAILED")
    return bad(`Status must be SUCCESS or FAILED, got ${JSON.stringify(response.Status)}`);
  for (const key of ["StackId", "RequestId", "LogicalResourceId"] as const)
    if (response[key] !== event[key]) return bad(`${key} must be copied from the request`);
  if (response.Status === "FAILED") return { ok: true, response };
  const id = response.PhysicalResourceId;
  if (typeof id !== "string" || !id) return bad("PhysicalResourceId is required");
  if (Buffer.byteLength(id) > MAX_PHYSICAL_ID_BYTES) return bad("PhysicalResourceId is longer than 1 KB");
  const data = response.Data;
  if (data !== undefined && data !== null && (typeof data !== "object" || Array.isArray(data)))
    return bad("Data must be an object of name-value pairs");
  return { ok: true, response };
}
