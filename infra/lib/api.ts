// The API function (its handler bundled from lambda/src at synth time), its Function URL and least-privilege IAM.
import { AssetHashType, Duration } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { API_BUNDLE, BUNDLE_METADATA_KEY, bundleLambdaSync, LAMBDA_DIR } from "../../lambda/build.js";
import { requireBuildOutput } from "./buildOutput.js";
import {
  CONFIG_PARAMETER_NAMES,
  CONFIG_PARAMETER_PREFIX,
  CONFIG_PREFIX_ENV,
  configParameterName,
} from "./constants.js";
import { functionLogGroup } from "./logGroups.js";
import { ssmParameterArn } from "./ssmParameterArn.js";

export interface ApiProps {
  /**
   * A folder already holding a bundled handler (index.mjs or index.js exporting `handler`), e.g. a test's
   * placeholder. By default the handler is bundled from lambda/src during synth.
   */
  codeDir?: string;
}

/**
 * The handler bundled from the current lambda/src by the build definition the kit also uses
 * (lambda/build.ts), during every `cdk synth`, `cdk deploy` and `cdk watch`: what is uploaded cannot lag
 * the source. The asset hash is the bundle's own, so any change to what runs is a new asset.
 * @param lambdaDir the lambda/ folder (tests bundle a copy)
 */
export function bundledHandlerCode(lambdaDir = LAMBDA_DIR): lambda.Code {
  return lambda.Code.fromAsset(lambdaDir, {
    assetHashType: AssetHashType.OUTPUT,
    exclude: ["dist", "**/*.test.ts"],
    bundling: {
      // Used only if local bundling fails, which it does not where esbuild is installed (a direct dependency).
      image: lambda.Runtime.NODEJS_24_X.bundlingImage,
      local: {
        tryBundle(outputDir) {
          bundleLambdaSync(outputDir, lambdaDir);
          return true;
        },
      },
    },
  });
}

/** The function behind the Function URL; it does its own authorization (Cognito code exchange). */
export class Api extends Construct {
  readonly function: lambda.Function;
  readonly functionUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: ApiProps = {}) {
    super(scope, id);
    const code = props.codeDir
      ? lambda.Code.fromAsset(
          requireBuildOutput(
            props.codeDir,
            ["index.mjs", "index.js"],
            "The Lambda bundle (index.mjs)",
            "npm run build:lambda",
          ),
        )
      : bundledHandlerCode();
    this.function = new lambda.Function(this, "Function", {
      description: "furl-kit API: Cognito code exchange and token check behind CloudFront",
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: "index.handler",
      code,
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: { [CONFIG_PREFIX_ENV]: CONFIG_PARAMETER_PREFIX },
      logGroup: functionLogGroup(this, "Logs"),
    });
    // Tells the kit which build definition this function's code comes from (it rebuilds it on lambda/ edits).
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata(BUNDLE_METADATA_KEY, API_BUNDLE);
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
