// The web page on Amplify Hosting (no repository): built files and config.json shipped in one cdk deploy.

import { fileURLToPath } from "node:url";
import { Fn, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as amplify from "aws-cdk-lib/aws-amplify";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import * as cr from "aws-cdk-lib/custom-resources";
import { Construct } from "constructs";
import { requireBuildOutput } from "./buildOutput.js";
import { SITE_BRANCH } from "./constants.js";
import { functionLogGroup } from "./logGroups.js";

/** Where `npm run build:web` writes the page. */
export const DEFAULT_SITE_DIR = fileURLToPath(new URL("../../web/dist", import.meta.url));

/** The runtime config the page fetches from /config.json (never has "local" on AWS). */
export interface WebConfig {
  signInUrl: string;
  signOutUrl: string;
  apiUrl: string;
}

/** The Amplify app and its production branch; the site URL is known before anything is deployed. */
export class SiteHosting extends Construct {
  readonly app: amplify.CfnApp;
  readonly branch: amplify.CfnBranch;
  /** https://main.<app id>.amplifyapp.com (no trailing slash) */
  readonly origin: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.app = new amplify.CfnApp(this, "App", {
      name: "furl-kit",
      description: "furl-kit sign-in page (deployed from S3 by the stack, no repository)",
      platform: "WEB",
    });
    this.branch = new amplify.CfnBranch(this, "Branch", {
      appId: this.app.attrAppId,
      branchName: SITE_BRANCH,
      stage: "PRODUCTION",
    });
    this.origin = `https://${SITE_BRANCH}.${this.app.attrDefaultDomain}`;
  }
}

export interface SiteDeploymentProps {
  hosting: SiteHosting;
  /** Folder with the built page (index.html). */
  siteDir?: string;
  config: WebConfig;
}

/**
 * Uploads the page and config.json to a private bucket, then asks Amplify to deploy that prefix.
 * The Amplify call re-runs whenever the uploaded assets change (their keys are content hashes).
 */
export class SiteDeployment extends Construct {
  readonly bucket: s3.Bucket;
  readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: SiteDeploymentProps) {
    super(scope, id);
    const siteDir = requireBuildOutput(
      props.siteDir ?? DEFAULT_SITE_DIR,
      ["index.html"],
      "The built web page (index.html)",
      "npm run build:web",
    );
    const { app, branch } = props.hosting;
    const stack = Stack.of(this);
    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const branchArn = stack.formatArn({
      service: "amplify",
      resource: "apps",
      resourceName: `${app.attrAppId}/branches/${branch.branchName}`,
    });
    // Amplify reads the deployment source itself, as a service principal, for this branch only. As in
    // Amplify's documented bucket policy, aws:SourceArn is the branch ARN percent-encoded.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("amplify.amazonaws.com")],
        actions: ["s3:GetObject", "s3:ListBucket"],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects("*")],
        conditions: {
          StringEquals: { "aws:SourceAccount": stack.account, "aws:SourceArn": encodeUrlParam(branchArn) },
        },
      }),
    );
    this.deployment = new s3deploy.BucketDeployment(this, "Upload", {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.asset(siteDir), s3deploy.Source.jsonData("config.json", props.config)],
      logGroup: functionLogGroup(this, "UploadLogs"),
    });
    const startDeployment: cr.AwsSdkCall = {
      service: "Amplify",
      action: "startDeployment",
      parameters: {
        appId: app.attrAppId,
        branchName: branch.branchName,
        sourceUrl: `s3://${this.bucket.bucketName}/`,
        sourceUrlType: "BUCKET_PREFIX",
      },
      // New content → new id → CloudFormation runs the update and Amplify deploys again.
      physicalResourceId: cr.PhysicalResourceId.of(Fn.join("+", this.deployment.objectKeys)),
    };
    const publish = new cr.AwsCustomResource(this, "StartDeployment", {
      onCreate: startDeployment,
      onUpdate: startDeployment,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ["amplify:StartDeployment"],
          resources: [branchArn, `${branchArn}/deployments/*`],
        }),
      ]),
      // The Lambda runtime's SDK has Amplify; fetching the latest one needs internet at deploy time.
      installLatestAwsSdk: false,
      memorySize: 256,
      logGroup: functionLogGroup(this, "StartDeploymentLogs"),
    });
    // Amplify must be able to read the bucket (policy) and find the branch when it starts; the upload
    // comes first already, since the physical id reads its object keys.
    publish.node.addDependency(branch);
    if (this.bucket.policy) publish.node.addDependency(this.bucket.policy);
  }
}

/**
 * Hosted UI and API URLs for config.json.
 * @param siteUrl the site URL with trailing slash (a token is fine: encoding is done per piece)
 */
export function webConfig(opts: {
  domainUrl: string;
  clientId: string;
  siteUrl: string;
  apiUrl: string;
}): WebConfig {
  const redirect = encodeUrlParam(opts.siteUrl);
  return {
    signInUrl: `${opts.domainUrl}/oauth2/authorize?client_id=${opts.clientId}&response_type=code&scope=openid+email&redirect_uri=${redirect}`,
    signOutUrl: `${opts.domainUrl}/logout?client_id=${opts.clientId}&logout_uri=${redirect}`,
    apiUrl: opts.apiUrl,
  };
}

/**
 * encodeURIComponent for a string that may hold CDK tokens: only the literal parts are encoded, since a
 * token resolves to a domain name or id that needs no encoding.
 */
export function encodeUrlParam(value: string): string {
  return value
    .split(/(\$\{Token\[[^\]]+\]\})/)
    .map((part) => (part.startsWith("${Token[") ? part : encodeURIComponent(part)))
    .join("");
}
