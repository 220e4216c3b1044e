// The deploy script's parts: SecureStrings through a real SDK client, cdklocal arguments, the outputs it reads.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "../shared/listen.js";
import { createSsmEmulator } from "../ssm/index.js";
import {
  cdklocalCommands,
  cdklocalEndpointEnv,
  DEPLOY_RESULT_FILE,
  deployOptionsFromEnv,
  readDeployResult,
  readFunctionUrlOutput,
  writeSecureStrings,
} from "./deploy.js";

const identity = {
  cognitoDomainUrl: "http://furl-kit:3001",
  clientId: "4vq1h3l6ck9a0mtrb7d2h5e8ff",
  userPoolId: "us-east-1_AbC123xyZ",
  jwksUri: "http://furl-kit:3001/us-east-1_AbC123xyZ/.well-known/jwks.json",
  redirectUri: "http://localhost:3000/",
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "furl-kit-deploy-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeSecureStrings", () => {
  it("writes SecureStrings that a WithDecryption GetParameters reads back, overwriting old values", async () => {
    const ssm = createSsmEmulator({ region: "us-east-1" });
    const server = await listen(ssm.handler, 0, "ssm");
    const client = new SSMClient({
      region: "us-east-1",
      endpoint: server.url,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    try {
      const names = ["/furl-kit/FurlKit/client-secret", "/furl-kit/FurlKit/origin-secret"];
      await writeSecureStrings(client, { [names[0]!]: "old", [names[1]!]: "origin" });
      const written = await writeSecureStrings(client, { [names[0]!]: "client-secret-value" });
      expect(written).toEqual([names[0]]);
      const answer = await client.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
      const byName = Object.fromEntries((answer.Parameters ?? []).map((p) => [p.Name, [p.Type, p.Value]]));
      expect(byName).toEqual({
        [names[0]!]: ["SecureString", "client-secret-value"],
        [names[1]!]: ["SecureString", "origin"],
      });
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describe("cdklocalCommands", () => {
  it("bootstraps LocalStack's account and deploys the localstack variant with the identity as context", () => {
    const { bootstrap, deploy } = cdklocalCommands({
      identity,
      outputsFile: "/s/out.json",
      assemblyDir: "/a",
    });
    expect(bootstrap.slice(0, 2)).toEqual(["bootstrap", "aws://000000000000/us-east-1"]);
    expect(deploy).toEqual(
      expect.arrayContaining(["deploy", "FurlKit", "target=localstack", "--outputs-file", "/s/out.json"]),
    );
    const context = deploy.find((arg) => arg.startsWith("localIdentity="))!;
    expect(JSON.parse(context.slice("localIdentity=".length))).toEqual(identity);
    expect(deploy[deploy.indexOf("--output") + 1]).toBe("/a");
  });
});

describe("cdklocalEndpointEnv", () => {
  it("points cdklocal at a LocalStack on any port, S3 included, path-style (no DNS name needed)", () => {
    expect(cdklocalEndpointEnv("http://127.0.0.1:32768/")).toEqual({
      AWS_ENDPOINT_URL: "http://127.0.0.1:32768",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:32768",
      CDK_S3_FORCE_PATH_STYLE: "1",
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
    });
  });

  it("keeps a remote Docker host's address for S3 too (Testcontainers with DOCKER_HOST=tcp://...)", () => {
    const env = cdklocalEndpointEnv("http://192.168.56.10:32768");
    expect(env.AWS_ENDPOINT_URL_S3).toBe("http://192.168.56.10:32768");
    expect(env.AWS_ENDPOINT_URL).toBe("http://192.168.56.10:32768");
  });
});

describe("readFunctionUrlOutput", () => {
  it("reads the Function URL and its id from cdk's outputs file", () => {
    const file = join(dir, "outputs.json");
    const url = "http://a1b2c3.lambda-url.us-east-1.localhost.localstack.cloud:4566/";
    writeFileSync(file, JSON.stringify({ FurlKit: { FunctionUrl: url, SiteUrl: "http://localhost:3000/" } }));
    expect(readFunctionUrlOutput(file)).toMatchObject({ functionUrl: url, urlId: "a1b2c3" });
  });

  it("names the file when the output is missing or is LocalStack's 'unknown' placeholder", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ FurlKit: {} }));
    expect(() => readFunctionUrlOutput(file)).toThrow(/no FunctionUrl output in .*bad\.json/);
    writeFileSync(file, JSON.stringify({ FurlKit: { FunctionUrl: "unknown" } }));
    expect(() => readFunctionUrlOutput(file)).toThrow(/is not a Function URL/);
    expect(() => readFunctionUrlOutput(join(dir, "none.json"))).toThrow(/no readable outputs file/);
  });
});

describe("readDeployResult", () => {
  it("tells the user to deploy first when the state folder has no deploy", () => {
    expect(() => readDeployResult(join(dir, "empty"))).toThrow(/run `npm run localstack:deploy` first/);
  });

  it("reads what the deploy wrote", () => {
    const result = {
      functionUrl: "http://x.lambda-url.us-east-1.localhost.localstack.cloud:4566/",
      urlId: "x",
    };
    writeFileSync(join(dir, DEPLOY_RESULT_FILE), JSON.stringify(result));
    expect(readDeployResult(dir)).toEqual(result);
  });
});

describe("deployOptionsFromEnv", () => {
  it("on Linux asks for FURL_INTERNAL_COGNITO_URL instead of a host.docker.internal Lambda cannot resolve", () => {
    expect(() => deployOptionsFromEnv({}, "/repo", "linux")).toThrow(
      /FURL_INTERNAL_COGNITO_URL is not set: on Linux[\s\S]*host-gateway[\s\S]*:3001/,
    );
    expect(
      deployOptionsFromEnv({ FURL_INTERNAL_COGNITO_URL: "http://172.17.0.1:3001" }, "/repo", "linux"),
    ).toMatchObject({ internalCognitoUrl: "http://172.17.0.1:3001" });
  });

  it("defaults to the host layout and takes compose's settings from the environment", () => {
    expect(deployOptionsFromEnv({}, "/repo", "darwin")).toMatchObject({
      assemblyDir: "/repo/cdk.out",
      localstackAssemblyDir: "/repo/cdk.out.localstack",
      endpoint: "http://localhost:4566",
      basePort: 3000,
      internalCognitoUrl: "http://host.docker.internal:3001",
    });
    expect(
      deployOptionsFromEnv(
        {
          FURL_PORT: "4000",
          LOCALSTACK_ENDPOINT: "http://localstack:4566",
          FURL_INTERNAL_COGNITO_URL: "http://furl-kit:4001",
        },
        "/repo",
        "linux",
      ),
    ).toMatchObject({
      basePort: 4000,
      endpoint: "http://localstack:4566",
      internalCognitoUrl: "http://furl-kit:4001",
    });
    expect(() => deployOptionsFromEnv({ FURL_PORT: "x" }, "/repo", "darwin")).toThrow(
      /FURL_PORT must be a port number/,
    );
  });
});
