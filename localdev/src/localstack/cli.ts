// `npm run localstack:front` (the compose furl-kit service): the kit's Cognito, CloudFront + WAF and site in front of LocalStack.
import { resolve } from "node:path";
import { createLogger } from "../shared/log.js";
import { hostCognitoUrl, readDeployResult } from "./deploy.js";
import { type LocalStackFront, startLocalStackFront } from "./front.js";

function banner(
  front: LocalStackFront,
  endpoint: string,
  functionUrl: string,
  viewerCountry: string,
): string {
  const { urls, parameters } = front;
  return [
    "",
    "  furl-kit is running in front of LocalStack.",
    "",
    `  Open the site      ${urls.site}/`,
    "",
    `  CloudFront + WAF   ${urls.cloudfront}/   (kit; simulated viewer country: ${viewerCountry})`,
    `  Function URL       ${urls.functionUrl}/   (relay to LocalStack ${endpoint}, ${functionUrl})`,
    `  Cognito hosted UI  ${urls.cognito}   (kit; pool ${parameters.identity.userPoolId}, client ${parameters.identity.clientId})`,
    `  SSM, Lambda        LocalStack ${endpoint}`,
    "",
    `  Not emulated: ${front.notEmulated.length ? front.notEmulated.join("; ") : "nothing"}`,
    "",
  ].join("\n");
}

async function main() {
  const root = resolve(import.meta.dirname, "../../..");
  const env = process.env;
  const log = createLogger("furl-kit");
  const stateDir = resolve(root, env.FURL_STATE_DIR ?? ".localdev/localstack");
  const endpoint = env.LOCALSTACK_ENDPOINT ?? "http://localhost:4566";
  const basePort = Number(env.FURL_PORT ?? 3000);
  if (!Number.isInteger(basePort) || basePort < 1 || basePort > 65_530) {
    throw new Error(`FURL_PORT must be a port number, got ${env.FURL_PORT}`);
  }
  const viewerCountry = (env.FURL_VIEWER_COUNTRY ?? "US").toUpperCase();
  if (!/^[A-Z]{2}$/.test(viewerCountry))
    throw new Error(`FURL_VIEWER_COUNTRY must be a two-letter code, got ${viewerCountry}`);
  const { functionUrl } = readDeployResult(stateDir);
  const front = await startLocalStackFront({
    assemblyDir: resolve(root, env.FURL_ASSEMBLY_DIR ?? "cdk.out"),
    stateDir,
    localstack: { endpoint, functionUrl },
    basePort,
    bindHost: env.FURL_BIND_HOST ?? "127.0.0.1",
    publicHost: env.FURL_PUBLIC_HOST ?? "localhost",
    internalCognitoUrl: env.FURL_INTERNAL_COGNITO_URL ?? hostCognitoUrl(basePort + 1, process.platform),
    viewerCountry,
    trustForwardedFor: env.FURL_TRUST_FORWARDED_FOR === "1",
    log,
  });
  process.stdout.write(banner(front, endpoint, functionUrl, viewerCountry));
  const stop = async (signal: string) => {
    log.info(`${signal}: stopping`);
    await front.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: Error) => {
  process.stderr.write(`furl-kit could not start in front of LocalStack: ${error.message}\n`);
  process.exit(1);
});
