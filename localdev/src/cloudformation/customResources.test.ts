import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InvokeResult } from "../lambda/runtime.js";
import { type Listening, listen } from "../shared/listen.js";
import { silentLogger } from "../shared/log.js";
import type { StackView } from "../template/stackView.js";
import type { CfnTemplate } from "../template/template.js";
import { CustomResourceStore } from "./customResourceStore.js";
import { type CustomResourceEvent, CustomResourceRunner } from "./customResources.js";
import { ResponseCollector } from "./responseUrl.js";

const STACK_ID = "arn:aws:cloudformation:us-east-1:000000000000:stack/Test/local";
const TOKEN = "arn:aws:lambda:us-east-1:000000000000:function:provider";

let server: Listening;
const collector = new ResponseCollector("us-east-1");
beforeAll(async () => {
  server = await listen(collector.handler, 0, "cfn-response");
});
afterAll(() => server.close());

/** Puts `body` where the event's ResponseURL points, on the test's port (no gateway here). */
async function answer(event: CustomResourceEvent, body: Record<string, unknown>): Promise<number> {
  const url = new URL(event.ResponseURL);
  const res = await fetch(`http://127.0.0.1:${server.port}${url.pathname}${url.search}`, {
    method: "PUT",
    headers: { "content-type": "" },
    body: JSON.stringify(body),
  });
  return res.status;
}

const success = (event: CustomResourceEvent, extra: Record<string, unknown> = {}) => ({
  Status: "SUCCESS",
  PhysicalResourceId: `id-${event.ResourceProperties.Name}`,
  StackId: event.StackId,
  RequestId: event.RequestId,
  LogicalResourceId: event.LogicalResourceId,
  Data: { Greeting: `hello ${event.ResourceProperties.Name}` },
  ...extra,
});

type Provider = (event: CustomResourceEvent) => Promise<InvokeResult>;
const ok = (): InvokeResult => ({
  ok: true,
  payload: null,
  durationMs: 1,
  requestId: "r",
  instanceId: "i",
  cold: false,
});

function runnerWith(provider: Provider) {
  const events: CustomResourceEvent[] = [];
  const store = new CustomResourceStore(mkdtempSync(join(tmpdir(), "cr-")));
  const runner = new CustomResourceRunner({
    store,
    responses: collector,
    stackId: STACK_ID,
    invoke: (_arn, event) => {
      events.push(event);
      return provider(event);
    },
    provider: (token) =>
      token === TOKEN ? { name: "provider", environment: {}, timeoutSeconds: 3 } : undefined,
    log: silentLogger,
    graceMs: 50,
  });
  return { runner, events, store };
}

function template(resources: CfnTemplate["Resources"]): CfnTemplate {
  return { Resources: resources } as CfnTemplate;
}

/** A view resolving only literal properties and Fn::GetAtt of custom resources (enough for the runner). */
function viewOf(t: CfnTemplate, runner: CustomResourceRunner): () => StackView {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object") {
      const getAtt = (value as Record<string, unknown>)["Fn::GetAtt"] as [string, string] | undefined;
      if (getAtt) {
        const outcome = runner.outcome(getAtt[0]);
        if (!outcome) throw new Error(`${getAtt[0]} has no answer`);
        return outcome.data[getAtt[1]];
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    }
    return value;
  };
  return () =>
    ({
      properties: (id: string) => resolve(t.Resources[id]!.Properties) as Record<string, unknown>,
    }) as StackView;
}

describe("custom resources", () => {
  it("creates once, answers Ref and GetAtt, and sends properties as strings", async () => {
    const { runner, events } = runnerWith(async (event) => {
      await answer(event, success(event));
      return ok();
    });
    const t = template({
      Greeter: {
        Type: "Custom::Greeter",
        Properties: { ServiceToken: TOKEN, Name: "ann", Count: 3, On: true },
      },
    });
    expect(await runner.deploy(t, viewOf(t, runner))).toBe(true);
    expect(events[0]).toMatchObject({
      RequestType: "Create",
      ResourceType: "Custom::Greeter",
      LogicalResourceId: "Greeter",
      StackId: STACK_ID,
      ResourceProperties: { ServiceToken: TOKEN, Name: "ann", Count: "3", On: "true" },
    });
    expect(events[0]).not.toHaveProperty("PhysicalResourceId");
    expect(new URL(events[0]!.ResponseURL).host).toBe(
      "cloudformation-custom-resource-response-useast1.s3-us-east-1.amazonaws.com",
    );
    expect(runner.outcome("Greeter")).toMatchObject({
      physicalResourceId: "id-ann",
      data: { Greeting: "hello ann" },
    });
    expect(await runner.deploy(t, viewOf(t, runner))).toBe(false);
    expect(events).toHaveLength(1);
  });

  it("sends Update with the old properties when they change, and Delete when the resource leaves", async () => {
    const { runner, events } = runnerWith(async (event) => {
      await answer(event, success(event, { PhysicalResourceId: "same" }));
      return ok();
    });
    const first = template({ G: { Type: "Custom::G", Properties: { ServiceToken: TOKEN, Name: "a" } } });
    await runner.deploy(first, viewOf(first, runner));
    const second = template({ G: { Type: "Custom::G", Properties: { ServiceToken: TOKEN, Name: "b" } } });
    await runner.deploy(second, viewOf(second, runner));
    expect(events[1]).toMatchObject({
      RequestType: "Update",
      PhysicalResourceId: "same",
      ResourceProperties: { Name: "b" },
      OldResourceProperties: { Name: "a" },
    });
    expect(await runner.deleteGone(template({}))).toBe(true);
    expect(events[2]).toMatchObject({
      RequestType: "Delete",
      PhysicalResourceId: "same",
      ResourceProperties: { Name: "b" },
    });
    expect(runner.outcome("G")).toBeUndefined();
  });

  it("runs a custom resource after the one whose Data it uses", async () => {
    const { runner, events } = runnerWith(async (event) => {
      await answer(event, success(event));
      return ok();
    });
    const t = template({
      Second: {
        Type: "Custom::G",
        Properties: { ServiceToken: TOKEN, Name: { "Fn::GetAtt": ["First", "Greeting"] } },
      },
      First: { Type: "Custom::G", Properties: { ServiceToken: TOKEN, Name: "first" } },
    });
    await runner.deploy(t, viewOf(t, runner));
    expect(events.map((e) => e.LogicalResourceId)).toEqual(["First", "Second"]);
    expect(runner.outcome("Second")?.data.Greeting).toBe("hello hello first");
  });

  it("names the Reason of a failed provider and what is unavailable because of it", async () => {
    const { runner } = runnerWith(async (event) => {
      await answer(event, {
        Status: "FAILED",
        Reason: "no such thing",
        PhysicalResourceId: "x",
        StackId: event.StackId,
        RequestId: event.RequestId,
        LogicalResourceId: event.LogicalResourceId,
      });
      return ok();
    });
    const t = template({
      Broken: { Type: "Custom::G", Properties: { ServiceToken: TOKEN, Name: "a" } },
      Param: { Type: "AWS::SSM::Parameter", Properties: { Value: { "Fn::GetAtt": ["Broken", "Greeting"] } } },
      Other: { Type: "AWS::SSM::Parameter", Properties: { Value: "fine" } },
    });
    await runner.deploy(t, viewOf(t, runner));
    expect(runner.failures(t)).toEqual([
      {
        failure: { logicalId: "Broken", type: "Custom::G", requestType: "Create", reason: "no such thing" },
        unavailable: ["Param"],
      },
    ]);
    expect([...runner.unavailable(t)].sort()).toEqual(["Broken", "Param"]);
  });

  it("fails a resource whose provider errs without answering, or answers badly", async () => {
    const crash = runnerWith(async () => ({
      ok: false,
      errorType: "Error",
      errorMessage: "boom",
      status: 502,
      requestId: "r",
    }));
    const t = template({ G: { Type: "Custom::G", Properties: { ServiceToken: TOKEN, Name: "a" } } });
    await crash.runner.deploy(t, viewOf(t, crash.runner));
    expect(crash.runner.failures(t)[0]?.failure.reason).toBe(
      "provider failed without sending a response: Error: boom",
    );

    const sloppy = runnerWith(async (event) => {
      await answer(event, { ...success(event), RequestId: "other" });
      return ok();
    });
    await sloppy.runner.deploy(t, viewOf(t, sloppy.runner));
    expect(sloppy.runner.failures(t)[0]?.failure.reason).toBe(
      "Invalid response: RequestId must be copied from the request",
    );

    const unknownToken = template({
      G: { Type: "Custom::G", Properties: { ServiceToken: "arn:aws:sns:x", Name: "a" } },
    });
    await sloppy.runner.deploy(unknownToken, viewOf(unknownToken, sloppy.runner));
    expect(sloppy.runner.failures(unknownToken)[0]?.failure.reason).toMatch(
      /names no function of this stack/,
    );
  });

  it("refuses a PUT that does not carry the URL's signature", async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/abc?X-Amz-Signature=${"0".repeat(64)}`, {
      method: "PUT",
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });
});
