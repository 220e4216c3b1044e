// The SSM emulator driven by the real AWS SDK v3 client, operation by operation.
import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkErrorOf } from "../../../test/support/sdkErrorOf.js";
import { ManualClock } from "../shared/clock.js";
import { type Listening, listen } from "../shared/listen.js";
import { createSsmEmulator, type SsmEmulator } from "./index.js";

const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
const secrets: Record<string, string> = { "origin-secret": "s3cr3t-origin" };
let emulator: SsmEmulator;
let server: Listening;
let ssm: SSMClient;

beforeAll(async () => {
  emulator = createSsmEmulator({ region: "us-east-1", clock, secrets: (id) => secrets[id] });
  server = await listen(emulator.handler, 0, "ssm");
  ssm = new SSMClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAFAKE", secretAccessKey: "fake" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  ssm.destroy();
  await server.close();
});

describe("PutParameter and GetParameter", () => {
  it("creates version 1 and reads it back with every field AWS returns", async () => {
    const put = await ssm.send(
      new PutParameterCommand({ Name: "/app/client-id", Value: "abc", Type: "String" }),
    );
    expect(put.Version).toBe(1);
    expect(put.Tier).toBe("Standard");

    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: "/app/client-id" }));
    expect(Parameter).toEqual({
      Name: "/app/client-id",
      Type: "String",
      Value: "abc",
      Version: 1,
      LastModifiedDate: new Date(Date.UTC(2026, 0, 1, 12, 0, 0)),
      ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/app/client-id",
      DataType: "text",
    });
  });

  it("refuses to overwrite without Overwrite, and increments the version with it", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/app/mode", Value: "one", Type: "String" }));
    const refused = await sdkErrorOf(
      ssm.send(new PutParameterCommand({ Name: "/app/mode", Value: "two", Type: "String" })),
    );
    expect(refused).toMatchObject({ name: "ParameterAlreadyExists", status: 400 });

    clock.advanceBy(60_000);
    const put = await ssm.send(new PutParameterCommand({ Name: "/app/mode", Value: "two", Overwrite: true }));
    expect(put.Version).toBe(2);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: "/app/mode" }));
    expect(Parameter).toMatchObject({ Value: "two", Version: 2, Type: "String" });
    expect(Parameter?.LastModifiedDate).toEqual(new Date(Date.UTC(2026, 0, 1, 12, 1, 0)));
  });

  it("answers ParameterNotFound for a missing name", async () => {
    const error = await sdkErrorOf(ssm.send(new GetParameterCommand({ Name: "/app/missing" })));
    expect(error).toMatchObject({ name: "ParameterNotFound", status: 400 });
  });

  it("rejects bad input with ValidationException", async () => {
    const badType = await sdkErrorOf(
      ssm.send(new PutParameterCommand({ Name: "/app/x", Value: "v", Type: "Number" as "String" })),
    );
    expect(badType).toMatchObject({ name: "ValidationException", status: 400 });
    const reserved = await sdkErrorOf(
      ssm.send(new PutParameterCommand({ Name: "/aws/x", Value: "v", Type: "String" })),
    );
    expect(reserved.name).toBe("ValidationException");
    const noType = await sdkErrorOf(ssm.send(new PutParameterCommand({ Name: "/app/new", Value: "v" })));
    expect(noType.name).toBe("ValidationException");
    const empty = await sdkErrorOf(
      ssm.send(new PutParameterCommand({ Name: "/app/e", Value: "", Type: "String" })),
    );
    expect(empty.name).toBe("ValidationException");
  });

  it("stores StringList values as given", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/app/list", Value: "a,b,c", Type: "StringList" }));
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: "/app/list" }));
    expect(Parameter).toMatchObject({ Type: "StringList", Value: "a,b,c" });
  });
});

describe("SecureString", () => {
  beforeAll(async () => {
    await ssm.send(
      new PutParameterCommand({ Name: "/app/client-secret", Value: "hunter2", Type: "SecureString" }),
    );
  });

  it("returns an opaque ciphertext without WithDecryption", async () => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: "/app/client-secret" }));
    expect(Parameter?.Type).toBe("SecureString");
    expect(Parameter?.Value).not.toContain("hunter2");
    expect(Parameter?.Value).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(Parameter?.Value ?? "", "base64").toString("utf8")).not.toContain("hunter2");
  });

  it("returns the plaintext with WithDecryption", async () => {
    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: "/app/client-secret", WithDecryption: true }),
    );
    expect(Parameter?.Value).toBe("hunter2");
  });

  it("keeps the plaintext out of list(), which a reseed can clear", () => {
    expect(JSON.stringify(emulator.store.list())).not.toContain("hunter2");
    expect(emulator.store.get("/app/client-secret")?.value).toBe("hunter2");
    const other = createSsmEmulator({ region: "us-east-1", clock });
    other.store.put({ name: "/x", value: "1", type: "String" });
    other.store.clear();
    expect(other.store.list()).toEqual([]);
  });
});

describe("GetParameters", () => {
  it("returns found names and lists the missing ones in InvalidParameters", async () => {
    const out = await ssm.send(
      new GetParametersCommand({
        Names: ["/app/client-id", "/app/nope", "/app/client-secret"],
        WithDecryption: true,
      }),
    );
    expect(out.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      ["/app/client-id", "abc"],
      ["/app/client-secret", "hunter2"],
    ]);
    expect(out.InvalidParameters).toEqual(["/app/nope"]);
  });

  it("hides SecureString values without decryption", async () => {
    const out = await ssm.send(new GetParametersCommand({ Names: ["/app/client-secret"] }));
    expect(out.Parameters?.[0]?.Value).not.toBe("hunter2");
  });

  it("rejects more than 10 names", async () => {
    const names = Array.from({ length: 11 }, (_, i) => `/app/p${i}`);
    const error = await sdkErrorOf(ssm.send(new GetParametersCommand({ Names: names })));
    expect(error).toMatchObject({ name: "ValidationException", status: 400 });
  });
});

describe("GetParametersByPath", () => {
  beforeAll(async () => {
    for (const name of ["/tree/a", "/tree/b", "/tree/c", "/tree/sub/d", "/tree/sub/deeper/e", "/treehouse"]) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: `v${name}`, Type: "String" }));
    }
    await ssm.send(new PutParameterCommand({ Name: "/tree/secret", Value: "pw", Type: "SecureString" }));
  });

  it("returns one level below the path unless Recursive", async () => {
    const flat = await ssm.send(new GetParametersByPathCommand({ Path: "/tree" }));
    expect(flat.Parameters?.map((p) => p.Name)).toEqual(["/tree/a", "/tree/b", "/tree/c", "/tree/secret"]);

    const deep = await ssm.send(new GetParametersByPathCommand({ Path: "/tree/", Recursive: true }));
    expect(deep.Parameters?.map((p) => p.Name)).toEqual([
      "/tree/a",
      "/tree/b",
      "/tree/c",
      "/tree/secret",
      "/tree/sub/d",
      "/tree/sub/deeper/e",
    ]);
  });

  it("decrypts SecureStrings only with WithDecryption", async () => {
    const hidden = await ssm.send(new GetParametersByPathCommand({ Path: "/tree" }));
    expect(hidden.Parameters?.find((p) => p.Name === "/tree/secret")?.Value).not.toBe("pw");
    const shown = await ssm.send(new GetParametersByPathCommand({ Path: "/tree", WithDecryption: true }));
    expect(shown.Parameters?.find((p) => p.Name === "/tree/secret")?.Value).toBe("pw");
  });

  it("pages with MaxResults and NextToken", async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ssm.send(
        new GetParametersByPathCommand({ Path: "/tree", Recursive: true, MaxResults: 4, NextToken: token }),
      );
      names.push(...(page.Parameters ?? []).map((p) => p.Name ?? ""));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(names).toHaveLength(6);
  });

  it("rejects a bad token, a relative path and MaxResults over 10", async () => {
    expect(
      (await sdkErrorOf(ssm.send(new GetParametersByPathCommand({ Path: "/tree", NextToken: "junk" })))).name,
    ).toBe("InvalidNextToken");
    expect((await sdkErrorOf(ssm.send(new GetParametersByPathCommand({ Path: "tree" })))).name).toBe(
      "ValidationException",
    );
    expect(
      (await sdkErrorOf(ssm.send(new GetParametersByPathCommand({ Path: "/tree", MaxResults: 11 })))).name,
    ).toBe("ValidationException");
  });
});

describe("DeleteParameter", () => {
  it("deletes, then answers ParameterNotFound", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/app/doomed", Value: "x", Type: "String" }));
    await ssm.send(new DeleteParameterCommand({ Name: "/app/doomed" }));
    expect((await sdkErrorOf(ssm.send(new GetParameterCommand({ Name: "/app/doomed" })))).name).toBe(
      "ParameterNotFound",
    );
    expect((await sdkErrorOf(ssm.send(new DeleteParameterCommand({ Name: "/app/doomed" })))).name).toBe(
      "ParameterNotFound",
    );
  });

  it("starts again at version 1 after a delete", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/app/again", Value: "1", Type: "String" }));
    await ssm.send(new PutParameterCommand({ Name: "/app/again", Value: "2", Overwrite: true }));
    await ssm.send(new DeleteParameterCommand({ Name: "/app/again" }));
    const put = await ssm.send(new PutParameterCommand({ Name: "/app/again", Value: "3", Type: "String" }));
    expect(put.Version).toBe(1);
  });
});

describe("Secrets Manager references", () => {
  it("reads a secret through /aws/reference/secretsmanager/ with WithDecryption", async () => {
    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: "/aws/reference/secretsmanager/origin-secret", WithDecryption: true }),
    );
    expect(Parameter).toMatchObject({ Type: "SecureString", Value: "s3cr3t-origin" });
  });

  it("requires WithDecryption", async () => {
    const error = await sdkErrorOf(
      ssm.send(new GetParameterCommand({ Name: "/aws/reference/secretsmanager/origin-secret" })),
    );
    expect(error).toMatchObject({ name: "ValidationException" });
    expect(error.message).toMatch(/WithDecryption/);
  });

  it("answers ParameterNotFound for an unknown secret, and lists it as invalid in a batch", async () => {
    const name = "/aws/reference/secretsmanager/nope";
    expect(
      (await sdkErrorOf(ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true })))).name,
    ).toBe("ParameterNotFound");
    const batch = await ssm.send(new GetParametersCommand({ Names: [name], WithDecryption: true }));
    expect(batch.InvalidParameters).toEqual([name]);
  });
});

describe("Protocol", () => {
  it("answers an unknown operation with a distinct NotEmulated error, not an AWS one", async () => {
    const error = await sdkErrorOf(ssm.send(new DescribeParametersCommand({})));
    expect(error).toMatchObject({ name: "NotEmulated", status: 501 });
  });

  it("answers a malformed JSON body with 400 SerializationException", async () => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.GetParameter" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: "SerializationException" });
  });

  it("answers a missing target with 400 UnknownOperationException", async () => {
    const res = await fetch(server.url, { method: "POST", body: "{}" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: "UnknownOperationException" });
  });

  it("answers a wrongly typed field with ValidationException", async () => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.GetParameter" },
      body: JSON.stringify({ Name: 42 }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: "ValidationException" });
  });
});
