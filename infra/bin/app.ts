// CDK entry (cdk.json "app"): the FurlKit stack in us-east-1, settings overridable with `-c key=value`.
import { App } from "aws-cdk-lib";
import { MissingBuildError } from "../lib/buildOutput.js";
import { STACK_NAME, STACK_REGION, STRICT_VALIDATION_CONTEXT } from "../lib/constants.js";
import { FurlKitStack } from "../lib/furlKitStack.js";
import { InvalidSettingError, settingsFromContext } from "../lib/settings.js";

try {
  // Template validation findings (bad property, wrong type) fail `cdk synth` instead of warning.
  const app = new App({ postCliContext: { [STRICT_VALIDATION_CONTEXT]: true } });
  new FurlKitStack(app, STACK_NAME, {
    // No lookups: synth works offline without credentials; the account stays a token unless given.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: STACK_REGION },
    description: "furl-kit: Lambda Function URL behind Cognito, CloudFront and WAF",
    ...settingsFromContext((key) => app.node.tryGetContext(key)),
  });
  app.synth();
} catch (error) {
  // A user mistake gets one clear line, not a stack trace.
  if (!(error instanceof InvalidSettingError || error instanceof MissingBuildError)) throw error;
  console.error(`furl-kit: ${error.message}`);
  process.exitCode = 1;
}
