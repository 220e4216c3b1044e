// Custom::SecureStringParameter lifecycle: Create/Update write the SecureString, Delete removes it.
import { describe, expect, it } from "vitest";
import { fakeDeps } from "./fakeDeps.js";
import { onEvent } from "./onEvent.js";
import { cognitoProps, createEvent, deleteEvent, updateEvent } from "./testEvents.js";

const secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:OriginSecret-AbC123";
const secretProps = {
  ParameterName: "/furl-kit/FurlKit/origin-secret",
  ValueFrom: { SecretsManagerSecretId: secretArn },
};

describe("onEvent", () => {
  it("on Create writes the app client's secret and returns the parameter name as physical id", async () => {
    const deps = fakeDeps({ clientSecret: "s3cr3t" });
    const result = await onEvent(createEvent(), deps);
    expect(result).toEqual({ physicalResourceId: "/furl-kit/FurlKit/client-secret" });
    expect(deps.parameters.get("/furl-kit/FurlKit/client-secret")).toBe("s3cr3t");
    expect(JSON.stringify(result)).not.toContain("s3cr3t");
  });

  it("on Create copies a Secrets Manager secret", async () => {
    const deps = fakeDeps({ secrets: { [secretArn]: "origin-value" } });
    await onEvent(createEvent(secretProps), deps);
    expect(deps.parameters.get("/furl-kit/FurlKit/origin-secret")).toBe("origin-value");
  });

  it("on Update with a new name writes the new parameter and reports the new physical id", async () => {
    const deps = fakeDeps();
    const props = { ...cognitoProps, ParameterName: "/furl-kit/Other/client-secret" };
    const result = await onEvent(updateEvent(props, cognitoProps, cognitoProps.ParameterName), deps);
    expect(result.physicalResourceId).toBe("/furl-kit/Other/client-secret");
    expect(deps.parameters.get("/furl-kit/Other/client-secret")).toBe("client-secret-value");
  });

  it("on Delete removes the parameter, and succeeds when it is already gone", async () => {
    const deps = fakeDeps();
    await onEvent(createEvent(), deps);
    await expect(onEvent(deleteEvent("/furl-kit/FurlKit/client-secret"), deps)).resolves.toEqual({
      physicalResourceId: "/furl-kit/FurlKit/client-secret",
    });
    expect(deps.parameters.size).toBe(0);
    await expect(onEvent(deleteEvent("/furl-kit/FurlKit/client-secret"), deps)).resolves.toBeDefined();
  });

  it("on Delete after a failed Create touches nothing", async () => {
    const deps = fakeDeps({ failWith: new Error("must not be called") });
    await expect(onEvent(deleteEvent("failed-create:req-1"), deps)).resolves.toEqual({
      physicalResourceId: "failed-create:req-1",
    });
  });

  it("fails with the source's error when the client does not exist", async () => {
    const props = {
      ...cognitoProps,
      ValueFrom: { CognitoClientSecret: { UserPoolId: "us-east-1_AbC123xyZ", ClientId: "nope" } },
    };
    await expect(onEvent(createEvent(props), fakeDeps())).rejects.toThrow(/client nope does not exist/);
  });

  it("refuses to store an empty value", async () => {
    await expect(onEvent(createEvent(), fakeDeps({ clientSecret: "" }))).rejects.toThrow(/empty value/);
  });
});
