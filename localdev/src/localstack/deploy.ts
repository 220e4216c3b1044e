// `npm run localstack:deploy`: SecureStrings into LocalStack's SSM, then `cdklocal deploy -c target=localstack`.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { LOCAL_ACCOUNT_ID as LOCALSTACK_ACCOUNT } from "../shared/account.js";
import { createLogger, type Logger } from "../shared/log.js";
import { type StageRunner, untimedStages } from "../shared/stages.js";
import { readJsonFile, writeJsonFileAtomic } from "../shared/stateFile.js";
import { frontUrls } from "./front.js";
import { parseFunctionUrl } from "./functionUrlHost.js";
import { type LocalIdentityValues, localStackParameters, resolveFrontDeployment } from "./identity.js";

/** LocalStack's default account (the kit's local account) and the stack's region. */
export { LOCALSTACK_ACCOUNT };
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
 * Points cdklocal at LocalStack's gateway wherever it is: another port (Testcontainers), another host (a
 * remote DOCKER_HOST). cdklocal needs both variables once AWS_ENDPOINT_URL is set. S3 goes to the same
 * gateway path-style (CDK_S3_FORCE_PATH_STYLE, read by the CDK CLI's S3 clients), so asset uploads need
 * no `<bucket>.s3.localhost.localstack.cloud` name: no public DNS, and no assumption that LocalStack is on
 * this machine's loopback.
 */
export function cdklocalEndpointEnv(endpoint: string): Record<string, string> {
  const gateway = endpoint.replace(/\/$/, "");
  return {
    AWS_ENDPOINT_URL: gateway,
    AWS_ENDPOINT_URL_S3: gateway,
    CDK_S3_FORCE_PATH_STYLE: "1",
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
  signal: AbortSignal,
): Promise<void> {
  log.info(`$ ${command} ${args[0]}`);
  return new Promise((done, fail) => {
    // An aborted stage kills the child (SIGTERM) instead of leaving it to finish unseen.
    const child = spawn(command, args, { cwd, env, signal, stdio: ["ignore", "inherit", "inherit"] });
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
  /** Runs the named stages ("SecureStrings", "cdklocal bootstrap", "cdklocal deploy"); default: no limits. */
  stages?: StageRunner;
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
  const stage = options.stages ?? untimedStages;
  const written = await stage("SecureStrings", () => writeSecureStrings(ssm, secureStrings));
  log.info(`wrote SecureStrings ${written.join(", ")}`);
  const outputsFile = join(options.stateDir, "localstack-outputs.json");
  const commands = cdklocalCommands({ identity, outputsFile, assemblyDir: options.localstackAssemblyDir });
  // cdklocal points the CDK CLI at LocalStack (test credentials); no real account is touched.
  const env = { ...process.env, ...cdklocalEndpointEnv(options.endpoint), CDK_DISABLE_VERSION_CHECK: "1" };
  const cdklocal = join(options.root, "node_modules", ".bin", "cdklocal");
  await stage("cdklocal bootstrap", (signal) =>
    run(cdklocal, commands.bootstrap, options.root, env, log, signal),
  );
  await stage("cdklocal deploy", (signal) => run(cdklocal, commands.deploy, options.root, env, log, signal));
  const result = readFunctionUrlOutput(outputsFile);
  writeJsonFileAtomic(join(options.stateDir, DEPLOY_RESULT_FILE), result);
  log.info(`deployed: Function URL ${result.functionUrl}`);
  return result;
}

/** Settings from the environment (compose sets them), with `npm run localstack:deploy` defaults for a host. */
export function deployOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  root: string,
  platform: NodeJS.Platform = process.platform,
): LocalStackDeployOptions {
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
    internalCognitoUrl: env.FURL_INTERNAL_COGNITO_URL ?? hostCognitoUrl(basePort + 1, platform),
  };
}

/**
 * How LocalStack's Lambda containers reach a kit running on this host. Docker Desktop (macOS, Windows)
 * resolves host.docker.internal in every container; Docker Engine on Linux does not (not without
 * `--add-host=host.docker.internal:host-gateway`, which only LocalStack's own LAMBDA_DOCKER_FLAGS can add),
 * so there the user must say, rather than get a URL that fails at the first sign-in.
 */
export function hostCognitoUrl(port: number, platform: NodeJS.Platform): string {
  if (platform !== "linux") return `http://host.docker.internal:${port}`;
  throw new Error(
    `FURL_INTERNAL_COGNITO_URL is not set: on Linux, Lambda containers cannot resolve host.docker.internal. ` +
      `Start LocalStack with LAMBDA_DOCKER_FLAGS=--add-host=host.docker.internal:host-gateway and set ` +
      `FURL_INTERNAL_COGNITO_URL=http://host.docker.internal:${port}, or use \`docker compose up\`, which ` +
      `puts the kit and the Lambda containers on one network.`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = resolve(import.meta.dirname, "../../..");
  deployToLocalStack(deployOptionsFromEnv(process.env, root)).catch((error: Error) => {
    process.stderr.write(`furl-kit: LocalStack deploy failed: ${error.message}\n`);
    process.exit(1);
  });
}
