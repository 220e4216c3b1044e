// The API function (the bundled handler from lambda/dist/api), its Function URL and least-privilege IAM.
import { fileURLToPath } from "node:url";
import { Duration } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { requireBuildOutput } from "./buildOutput.js";
import { CONFIG_PARAMETER_NAMES, CONFIG_PARAMETER_PREFIX, configParameterName } from "./constants.js";
import { functionLogGroup } from "./logGroups.js";
import { ssmParameterArn } from "./ssmParameterArn.js";

/** Where `npm run build:lambda` writes the handler bundle. */
export const DEFAULT_API_CODE_DIR = fileURLToPath(new URL("../../lambda/dist/api", import.meta.url));

export interface ApiProps {
  /** Folder holding the bundled handler (index.mjs or index.js exporting `handler`). */
  codeDir?: string;
}

/** The function behind the Function URL; it does its own authorization (Cognito code exchange). */
export class Api extends Construct {
  readonly function: lambda.Function;
  readonly functionUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: ApiProps = {}) {
    super(scope, id);
    const codeDir = requireBuildOutput(
      props.codeDir ?? DEFAULT_API_CODE_DIR,
      ["index.mjs", "index.js"],
      "The Lambda bundle (index.mjs)",
      "npm run build:lambda",
    );
    this.function = new lambda.Function(this, "Function", {
      description: "furl-kit API: Cognito code exchange and token check behind CloudFront",
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: "index.handler",
      code: lambda.Code.fromAsset(codeDir),
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: { CONFIG_PARAMETER_PREFIX },
      logGroup: functionLogGroup(this, "Logs"),
    });
    // Exactly the configuration parameters, read in one GetParameters call. No kms:Decrypt: the two
    // SecureStrings use the AWS managed aws/ssm key, whose key policy lets SSM decrypt for any caller
    // in the account that may read the parameter.
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["ssm:GetParameters"],
        resources: CONFIG_PARAMETER_NAMES.map((name) => ssmParameterArn(this, configParameterName(name))),
      }),
    );
    // Auth NONE: the handler checks the CloudFront origin header and the Cognito code itself.
    // No CORS here: CloudFront's response headers policy owns it, limited to the site origin.
    this.functionUrl = this.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  }
}
