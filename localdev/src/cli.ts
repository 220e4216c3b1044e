// `npm start`: the whole stack offline in one process, from the synthesized template.
import { resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { KitEndpoints } from "./index.js";
import { servicePort } from "./kit/ports.js";
import { startFunctionUrlService } from "./lambda/urlService.js";
import { createLogger } from "./shared/log.js";

const DEFAULT_VIEWER_COUNTRY = "US";

const HELP = `furl-kit: run the stack offline (Cognito hosted UI, SSM, the Function URL, CloudFront + WAF, the site)

Usage: npm start -- [options]

  --app "<command>"        a CDK app of your own instead of this repository's (the command as in its
                           cdk.json, e.g. "npx tsx bin/app.ts" or "node app.js"); synthesized once at
                           start with this repository's CDK CLI into <state-dir>/cdk.out; not watched
  --app-dir <dir>          the folder --app runs in (default: this repository's root)
  --template <path>        a synthesized template file, or a cloud assembly folder (cdk.out), read as given
  --stack <name>           which stack of the cloud assembly (when it holds several)
  --port <base>            first port; services take base..base+5, further Function URLs, distributions
                           and buckets base+6 on (env FURL_PORT, default 3000); 0 takes free ports (the
                           banner and <state-dir>/endpoints.json name them)
  --state-dir <dir>        users, keys and ids (default .localdev/)
  --fresh                  forget users, keys and ids (removes only what the kit wrote in its state folder)
  --viewer-country <CC>    simulated viewer country for loopback clients (env FURL_VIEWER_COUNTRY, default US)
  --trust-forwarded-for    take the viewer IP from X-Forwarded-For (env FURL_TRUST_FORWARDED_FOR=1)
  --site <dev|build>       dev (default): the page through Vite with hot updates; build: the production
                           build as Amplify serves it (env FURL_SITE)
  --no-watch               do not apply changes to infra/, lambda/ or web/
  --history-requests <N>   viewer requests (and invocations) the console keeps (env FURL_HISTORY_REQUESTS, default 500)
  --history-log-lines <N>  function log lines the console keeps (env FURL_HISTORY_LOG_LINES, default 2000)
  -h, --help               this text
`;

function parseOptions() {
  const { values } = parseArgsOrExplain({
    options: {
      app: { type: "string" },
      "app-dir": { type: "string" },
      template: { type: "string" },
      stack: { type: "string" },
      port: { type: "string" },
      "state-dir": { type: "string" },
      fresh: { type: "boolean", default: false },
      "viewer-country": { type: "string" },
      "trust-forwarded-for": { type: "boolean", default: false },
      "no-watch": { type: "boolean", default: false },
      site: { type: "string" },
      "history-requests": { type: "string" },
      "history-log-lines": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const port = Number(values.port ?? process.env.FURL_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_530)
    throw new Error(`--port must be a port number, got ${values.port}`);
  const viewerCountry = (
    values["viewer-country"] ??
    process.env.FURL_VIEWER_COUNTRY ??
    DEFAULT_VIEWER_COUNTRY
  ).toUpperCase();
  if (!/^[A-Z]{2}$/.test(viewerCountry))
    throw new Error(`--viewer-country must be a two-letter code, got ${viewerCountry}`);
  const site = values.site ?? process.env.FURL_SITE ?? "dev";
  if (site !== "dev" && site !== "build") throw new Error(`--site must be dev or build, got ${site}`);
  const count = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
      throw new Error(`--${name} must be a whole number from 1 to 1000000, got ${value}`);
    return n;
  };
  const requests = count("history-requests", values["history-requests"] ?? process.env.FURL_HISTORY_REQUESTS);
  const logLines = count(
    "history-log-lines",
    values["history-log-lines"] ?? process.env.FURL_HISTORY_LOG_LINES,
  );
  if (values.app && values.template) throw new Error("--app and --template exclude each other");
  if (values["app-dir"] && !values.app) throw new Error("--app-dir goes with --app");
  return {
    app: values.app,
    appDir: values["app-dir"] ? resolve(values["app-dir"]) : undefined,
    template: values.template ? resolve(values.template) : undefined,
    stack: values.stack,
    site: site as "dev" | "build",
    history: { ...(requests ? { requests } : {}), ...(logLines ? { logLines } : {}) },
    port,
    stateDir: values["state-dir"],
    fresh: values.fresh,
    viewerCountry,
    trustForwardedFor: values["trust-forwarded-for"] || process.env.FURL_TRUST_FORWARDED_FOR === "1",
    watch: !values["no-watch"],
  };
}

/** parseArgs, with a pointer to --help when an option is unknown or lacks its value. */
function parseArgsOrExplain<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n  Run \`npm start -- --help\` for the options.`);
  }
}

/** The banner's suggestion for the WAF: try a blocked country, or (already trying one) how to get back. */
function viewerCountryHint(viewerCountry: string): string {
  return viewerCountry === DEFAULT_VIEWER_COUNTRY
    ? "restart with --viewer-country DE -> Execute Lambda (blocked by WAF)."
    : `Execute Lambda answers what WAF answers a viewer from ${viewerCountry}; restart without --viewer-country to be a viewer from ${DEFAULT_VIEWER_COUNTRY}.`;
}

function banner(
  e: KitEndpoints,
  viewerCountry: string,
  notEmulated: string[],
  unavailable: string[],
): string {
  const lines = [
    "",
    "  furl-kit is running: the whole stack, offline.",
    "",
    `  Open the site      ${e.site}`,
    `  Kit console        ${e.console}   (requests, WAF, function logs, users, deployment)`,
    "",
    `  CloudFront + WAF   ${e.cloudfront}   (simulated viewer country: ${viewerCountry})`,
    `  Function URL       ${e.functionUrl}   (direct calls are refused: no origin secret)`,
    `  Cognito hosted UI  ${e.signIn || e.cognitoDomain}`,
    `                     (pool ${e.userPoolId}, client ${e.clientId})`,
    ...Object.entries(e.functionUrls)
      .slice(1)
      .map(([id, url]) => `  Function URL       ${url}   (${id})`),
    ...Object.entries(e.distributions)
      .slice(1)
      .map(([id, url]) => `  CloudFront         ${url}   (${id})`),
    ...e.userPools
      .slice(1)
      .map((p) => `  Cognito pool       ${p.id} (clients ${p.clientIds.join(", ")}) at ${p.domainUrl}`),
    `  SSM                ${e.ssm}`,
    `  Control            ${e.control}/health · /users · /confirmation-codes · /invocations · /waf/decisions`,
    "",
    `  Try: Sign In -> Sign up (the confirmation code is printed below and at ${e.control}/confirmation-codes)`,
    "       -> Execute Lambda; Continue as guest -> Execute Lambda (not authorized);",
    `       ${viewerCountryHint(viewerCountry)}`,
    "",
    "  Not emulated locally:",
    ...notEmulated.map((line) => `    - ${line}`),
    "",
    ...(unavailable.length
      ? [
          "  Custom resources that failed (the rest of the stack runs):",
          ...unavailable.map((l) => `    - ${l}`),
          "",
        ]
      : []),
  ];
  return lines.join("\n");
}

async function main() {
  const options = parseOptions();
  const log = createLogger("furl-kit");
  const root = resolve(import.meta.dirname, "../..");
  const started = performance.now();
  // The Function URL thread starts first: its start-up overlaps loading the rest of the kit.
  const functionUrlService = startFunctionUrlService({
    port: servicePort(options.port, "functionUrl"),
    log,
  });
  functionUrlService.catch(() => {}); // startKit awaits it and reports a failure
  const { startKit } = await import("./index.js");
  const kit = await startKit({
    functionUrlService,
    root,
    basePort: options.port,
    stateDir: options.stateDir ? resolve(options.stateDir) : undefined,
    app: options.app,
    appDir: options.appDir,
    template: options.template,
    stack: options.stack,
    fresh: options.fresh,
    viewerCountry: options.viewerCountry,
    trustForwardedFor: options.trustForwardedFor,
    site: options.site,
    watch: options.watch,
    history: options.history,
    log,
  });
  const notEmulated = [
    ...kit.deployment.notEmulated,
    ...(kit.waf?.notEmulated ?? []).map((l) => `WAF: ${l}`),
  ];
  process.stdout.write(banner(kit.endpoints, options.viewerCountry, notEmulated, kit.unavailable()));
  log.info(`ready in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  if (options.watch)
    log.info(
      options.site === "dev"
        ? "watching infra/, lambda/ and web/: handler edits rebuild the bundle, page edits are hot updates, infra edits re-synthesize"
        : "watching infra/, lambda/ and web/: handler edits rebuild the bundle, page and infra edits re-synthesize",
    );
  const stop = async (signal: string) => {
    log.info(`${signal}: stopping`);
    await kit.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: Error) => {
  process.stderr.write(`furl-kit could not start: ${error.message}\n`);
  process.exit(1);
});
