// `npm run localstack:deploy`: SecureStrings into LocalStack's SSM, then `cdklocal deploy -c target=localstack`.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { createLogger, type Logger } from "../shared/log.js";
import { readJsonFile, writeJsonFileAtomic } from "../shared/stateFile.js";
import { frontUrls } from "./front.js";
import { parseFunctionUrl } from "./functionUrlHost.js";
import { type LocalIdentityValues, localStackParameters, resolveFrontDeployment } from "./identity.js";

/** LocalStack's default account and the stack's region. */
export const LOCALSTACK_ACCOUNT = "000000000000";
export const LOCALSTACK_REGION = "us-east-1";
/** Written by the deploy, read by the kit: where LocalStack's Function URL is. */
export const DEPLOY_RESULT_FILE = "localstack.json";

export interface DeployResult {
  /** The stack's FunctionUrl output. */
  functionUrl: string;
  urlId: string;
  deployedAt: string;
}

/** Writes the two SecureStrings (Overwrite); values never leave this call, not even in a log line. */
export async function writeSecureStrings(
  client: SSMClient,
  values: Record<string, string>,
): Promise<string[]> {
  for (const [name, value] of Object.entries(values)) {
    await client.send(
      new PutParameterCommand({ Name: name, Value: value, Type: "SecureString", Overwrite: true }),
    );
  }
  return Object.keys(values);
}

/** Arguments for `cdklocal bootstrap` and `cdklocal deploy`; only non-secret identity values appear. */
export function cdklocalCommands(options: {
  identity: LocalIdentityValues;
  outputsFile: string;
  assemblyDir: string;
}): { bootstrap: string[]; deploy: string[] } {
  const context = [
    "-c",
    "target=localstack",
    "-c",
    `localIdentity=${JSON.stringify(options.identity)}`,
    "--output",
    options.assemblyDir,
  ];
  return {
    bootstrap: ["bootstrap", `aws://${LOCALSTACK_ACCOUNT}/${LOCALSTACK_REGION}`, ...context],
    deploy: [
      "deploy",
      "FurlKit",
      ...context,
      "--require-approval",
      "never",
      "--outputs-file",
      options.outputsFile,
    ],
  };
}

/**
 * cdklocal defaults to localhost.localstack.cloud:4566; a LocalStack on another port (Testcontainers) needs
 * both variables, and the S3 one must contain ".s3." (aws-cdk-local's rule for virtual-hosted buckets).
 */
export function cdklocalEndpointEnv(endpoint: string): Record<string, string> {
  const port = new URL(endpoint).port || "4566";
  return {
    AWS_ENDPOINT_URL: endpoint.replace(/\/$/, ""),
    AWS_ENDPOINT_URL_S3: `http://s3.localhost.localstack.cloud:${port}`,
    AWS_REGION: LOCALSTACK_REGION,
    AWS_DEFAULT_REGION: LOCALSTACK_REGION,
  };
}

/** Reads the FunctionUrl output `cdk deploy --outputs-file` wrote. */
export function readFunctionUrlOutput(outputsFile: string): DeployResult {
  let outputs: Record<string, Record<string, string>>;
  try {
    outputs = JSON.parse(readFileSync(outputsFile, "utf8"));
  } catch (error) {
    throw new Error(`cdklocal wrote no readable outputs file at ${outputsFile}: ${(error as Error).message}`);
  }
  const functionUrl = outputs.FurlKit?.FunctionUrl;
  if (!functionUrl) throw new Error(`The FurlKit stack has no FunctionUrl output in ${outputsFile}`);
  return { functionUrl, urlId: parseFunctionUrl(functionUrl).urlId, deployedAt: new Date().toISOString() };
}

/** Reads what the last deploy wrote into the state folder. */
export function readDeployResult(stateDir: string): DeployResult {
  const result = readJsonFile<DeployResult | undefined>(join(stateDir, DEPLOY_RESULT_FILE), undefined);
  if (!result?.functionUrl) {
    throw new Error(`No LocalStack deploy found in ${stateDir}: run \`npm run localstack:deploy\` first`);
  }
  return result;
}

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<void> {
  log.info(`$ ${command} ${args[0]}`);
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", fail);
    child.on("close", (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args[0]} failed (exit ${code})`)),
    );
  });
}

export interface LocalStackDeployOptions {
  root: string;
  /** aws target's cloud assembly (built into the image by `npm run synth`). */
  assemblyDir: string;
  /** Where cdklocal writes the localstack variant (kept apart from the aws one). */
  localstackAssemblyDir: string;
  stateDir: string;
  /** LocalStack's gateway as the deploy process reaches it. */
  endpoint: string;
  publicHost: string;
  basePort: number;
  internalCognitoUrl: string;
  log?: Logger;
}

/** SecureStrings first (the function reads them on its first request), then bootstrap and deploy. */
export async function deployToLocalStack(options: LocalStackDeployOptions): Promise<DeployResult> {
  const log = options.log ?? createLogger("localstack:deploy");
  const urls = frontUrls(options.publicHost, options.basePort);
  const deployment = resolveFrontDeployment({
    assemblyDir: options.assemblyDir,
    stateDir: options.stateDir,
    urls,
  });
  const { identity, secureStrings } = localStackParameters(deployment, urls, options.internalCognitoUrl);
  const ssm = new SSMClient({
    region: LOCALSTACK_REGION,
    endpoint: options.endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const written = await writeSecureStrings(ssm, secureStrings);
  log.info(`wrote SecureStrings ${written.join(", ")}`);
  const outputsFile = join(options.stateDir, "localstack-outputs.json");
  const commands = cdklocalCommands({ identity, outputsFile, assemblyDir: options.localstackAssemblyDir });
  // cdklocal points the CDK CLI at LocalStack (test credentials); no real account is touched.
  const env = { ...process.env, ...cdklocalEndpointEnv(options.endpoint), CDK_DISABLE_VERSION_CHECK: "1" };
  const cdklocal = join(options.root, "node_modules", ".bin", "cdklocal");
  await run(cdklocal, commands.bootstrap, options.root, env, log);
  await run(cdklocal, commands.deploy, options.root, env, log);
  const result = readFunctionUrlOutput(outputsFile);
  writeJsonFileAtomic(join(options.stateDir, DEPLOY_RESULT_FILE), result);
  log.info(`deployed: Function URL ${result.functionUrl}`);
  return result;
}

/** Settings from the environment (compose sets them), with `npm run localstack:deploy` defaults for a host. */
export function deployOptionsFromEnv(env: NodeJS.ProcessEnv, root: string): LocalStackDeployOptions {
  const basePort = Number(env.FURL_PORT ?? 3000);
  if (!Number.isInteger(basePort) || basePort < 1 || basePort > 65_530) {
    throw new Error(`FURL_PORT must be a port number, got ${env.FURL_PORT}`);
  }
  return {
    root,
    assemblyDir: resolve(root, env.FURL_ASSEMBLY_DIR ?? "cdk.out"),
    localstackAssemblyDir: resolve(root, env.FURL_LOCALSTACK_ASSEMBLY_DIR ?? "cdk.out.localstack"),
    stateDir: resolve(root, env.FURL_STATE_DIR ?? ".localdev/localstack"),
    endpoint: env.LOCALSTACK_ENDPOINT ?? "http://localhost:4566",
    publicHost: env.FURL_PUBLIC_HOST ?? "localhost",
    basePort,
    // On a host, LocalStack's Lambda containers reach the host's kit through Docker's host gateway.
    internalCognitoUrl: env.FURL_INTERNAL_COGNITO_URL ?? `http://host.docker.internal:${basePort + 1}`,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = resolve(import.meta.dirname, "../../..");
  deployToLocalStack(deployOptionsFromEnv(process.env, root)).catch((error: Error) => {
    process.stderr.write(`furl-kit: LocalStack deploy failed: ${error.message}\n`);
    process.exit(1);
  });
}
