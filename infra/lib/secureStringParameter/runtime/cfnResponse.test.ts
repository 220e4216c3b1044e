// The response sent to CloudFormation: right shape, no secret, empty content type.
import { describe, expect, it } from "vitest";
import { responseBody, sendResponse } from "./cfnResponse.js";
import { createEvent, deleteEvent } from "./testEvents.js";

describe("responseBody", () => {
  it("reports SUCCESS with the physical id, NoEcho and empty Data", () => {
    expect(
      JSON.parse(responseBody(createEvent(), { status: "SUCCESS", physicalResourceId: "/a/b" })),
    ).toEqual({
      Status: "SUCCESS",
      PhysicalResourceId: "/a/b",
      StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/FurlKit/guid",
      RequestId: "req-1",
      LogicalResourceId: "Configclientsecret579AACDA",
      NoEcho: true,
      Data: {},
    });
  });

  it("gives a failed Create a physical id its later Delete will skip", () => {
    const body = JSON.parse(responseBody(createEvent(), { status: "FAILED", reason: "boom" }));
    expect(body).toMatchObject({
      Status: "FAILED",
      Reason: "boom",
      PhysicalResourceId: "failed-create:req-1",
    });
  });

  it("keeps the existing physical id when an Update or Delete fails, and truncates long reasons", () => {
    const body = JSON.parse(
      responseBody(deleteEvent("/a/b"), { status: "FAILED", reason: "x".repeat(2000) }),
    );
    expect(body.PhysicalResourceId).toBe("/a/b");
    expect(body.Reason).toHaveLength(500);
  });
});

describe("sendResponse", () => {
  it("PUTs the body to the pre-signed URL with an empty content type", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    await sendResponse(createEvent(), { status: "SUCCESS", physicalResourceId: "/a/b" }, fakeFetch);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(createEvent().ResponseURL);
    expect(calls[0]!.init.method).toBe("PUT");
    expect((calls[0]!.init.headers as Record<string, string>)["content-type"]).toBe("");
    expect(JSON.parse(calls[0]!.init.body as string).Status).toBe("SUCCESS");
  });

  it("throws when CloudFormation refuses the response", async () => {
    const fakeFetch = (async () => new Response("denied", { status: 403 })) as unknown as typeof fetch;
    await expect(
      sendResponse(createEvent(), { status: "SUCCESS", physicalResourceId: "/a" }, fakeFetch),
    ).rejects.toThrow(/HTTP 403/);
  });
});
