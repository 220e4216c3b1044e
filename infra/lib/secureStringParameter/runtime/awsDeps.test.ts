// awsDeps: the exact SDK commands sent to Cognito and SSM, and how their answers are read.
import { DescribeUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { DeleteParameterCommand, ParameterNotFound, PutParameterCommand } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { awsDeps, type Sender } from "./awsDeps.js";

function stub(answer: (command: object) => unknown): Sender & { commands: object[] } {
  const commands: object[] = [];
  return {
    commands,
    async send(command) {
      commands.push(command);
      return answer(command);
    },
  };
}

describe("awsDeps", () => {
  it("reads the client secret with DescribeUserPoolClient", async () => {
    const cognito = stub(() => ({ UserPoolClient: { ClientSecret: "abc" } }));
    const deps = awsDeps({ cognito, ssm: stub(() => ({})) });
    await expect(deps.readClientSecret("us-east-1_X", "c1")).resolves.toBe("abc");
    expect(cognito.commands[0]).toBeInstanceOf(DescribeUserPoolClientCommand);
    expect((cognito.commands[0] as DescribeUserPoolClientCommand).input).toEqual({
      UserPoolId: "us-east-1_X",
      ClientId: "c1",
    });
  });

  it("fails clearly for a client without a secret", async () => {
    const deps = awsDeps({ cognito: stub(() => ({ UserPoolClient: {} })), ssm: stub(() => ({})) });
    await expect(deps.readClientSecret("p", "c1")).rejects.toThrow(/GenerateSecret must be true/);
  });

  it("reads a Secrets Manager secret with GetSecretValue on its ARN, not through SSM", async () => {
    const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:OriginSecret-AbC123";
    const secretsManager = stub(() => ({ ARN: arn, SecretString: "origin" }));
    const ssm = stub(() => ({}));
    const deps = awsDeps({ cognito: stub(() => ({})), secretsManager, ssm });
    await expect(deps.readSecret(arn)).resolves.toBe("origin");
    expect(secretsManager.commands[0]).toBeInstanceOf(GetSecretValueCommand);
    expect((secretsManager.commands[0] as GetSecretValueCommand).input).toEqual({ SecretId: arn });
    expect(ssm.commands).toHaveLength(0);
  });

  it("fails clearly for a binary secret (no SecretString)", async () => {
    const secretsManager = stub(() => ({ SecretBinary: new Uint8Array([1]) }));
    const deps = awsDeps({ cognito: stub(() => ({})), secretsManager, ssm: stub(() => ({})) });
    await expect(deps.readSecret("s")).rejects.toThrow(/no string value/);
  });

  it("writes a SecureString with Overwrite", async () => {
    const ssm = stub(() => ({}));
    await awsDeps({ cognito: stub(() => ({})), ssm }).putSecureString("/a/b", "v");
    expect(ssm.commands[0]).toBeInstanceOf(PutParameterCommand);
    expect((ssm.commands[0] as PutParameterCommand).input).toEqual({
      Name: "/a/b",
      Value: "v",
      Type: "SecureString",
      Overwrite: true,
    });
  });

  it("deletes a parameter, ignoring ParameterNotFound but not other errors", async () => {
    const notFound = new ParameterNotFound({ message: "not found", $metadata: {} });
    const gone = stub(() => Promise.reject(notFound));
    await expect(
      awsDeps({ cognito: stub(() => ({})), ssm: gone }).deleteParameter("/a/b"),
    ).resolves.toBeUndefined();
    expect(gone.commands[0]).toBeInstanceOf(DeleteParameterCommand);
    const denied = stub(() =>
      Promise.reject(Object.assign(new Error("denied"), { name: "AccessDeniedException" })),
    );
    await expect(awsDeps({ cognito: stub(() => ({})), ssm: denied }).deleteParameter("/a/b")).rejects.toThrow(
      "denied",
    );
  });
});
