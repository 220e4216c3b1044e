// The environment a function instance sees: its own variables plus the ones Lambda itself sets.
import { LOCAL_ACCOUNT_ID } from "../shared/account.js";
import { type FunctionConfig, functionRegion } from "./config.js";

// Stand-ins for the execution role's credentials; the kit's emulators accept any.
const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "ASIAFURLKITLOCAL0000",
  AWS_SECRET_ACCESS_KEY: "furl-kit-local-not-a-secret",
  AWS_SESSION_TOKEN: "furl-kit-local-session",
};

export function lambdaEnvironment(config: FunctionConfig, logStreamName: string): Record<string, string> {
  const region = functionRegion(config);
  return {
    ...FAKE_CREDENTIALS,
    ...config.environment,
    // Reserved variables: Lambda sets these and a function cannot override them.
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: config.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(config),
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    LAMBDA_TASK_ROOT: config.codeDir,
    LAMBDA_RUNTIME_DIR: "/var/runtime",
    _HANDLER: config.handler,
    LANG: "en_US.UTF-8",
  };
}

export function logGroupName(config: FunctionConfig): string {
  return `/aws/lambda/${config.name}`;
}

export function functionArn(config: FunctionConfig): string {
  return `arn:aws:lambda:${functionRegion(config)}:${config.accountId ?? LOCAL_ACCOUNT_ID}:function:${config.name}`;
}
