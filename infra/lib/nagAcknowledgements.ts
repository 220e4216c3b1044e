// cdk-nag (AwsSolutions, Serverless) findings this stack accepts, each on the construct it concerns, with why.
// The stack tests run both packs: a finding not acknowledged here fails them.
import { type Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

interface Acknowledgment {
  id: string;
  reason: string;
}

const BASIC_EXECUTION_ROLE =
  "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]";

/** Every function of the stack: its own or one of CDK's singleton providers. */
const FUNCTION_FINDINGS: Acknowledgment[] = [
  {
    id: BASIC_EXECUTION_ROLE,
    reason: "AWSLambdaBasicExecutionRole grants only CreateLogGroup, CreateLogStream and PutLogEvents.",
  },
  {
    id: "Serverless::Serverless-LambdaDLQ",
    reason:
      "Invoked synchronously only (Function URL, CloudFormation custom resources): a DLQ applies to async invocations.",
  },
  {
    id: "Serverless::Serverless-LambdaTracing",
    reason: "X-Ray is not part of this sample; CloudWatch logs and WAF metrics cover it.",
  },
];

/** CDK's BucketDeployment handler (Python, chosen by CDK) and its grants on the asset and site buckets. */
const BUCKET_DEPLOYMENT_FINDINGS: Acknowledgment[] = [
  ...["AwsSolutions::AwsSolutions-L1", "Serverless::Serverless-LambdaLatestVersion"].map((id) => ({
    id,
    reason: "CDK's BucketDeployment handler: CDK picks its (Python) runtime.",
  })),
  ...["s3:GetBucket*", "s3:GetObject*", "s3:List*", "s3:Abort*", "s3:DeleteObject*"].map((action) => ({
    id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
    reason: "CDK's BucketDeployment grants, limited to the CDK asset bucket and the site bucket.",
  })),
  {
    id: "AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-us-east-1/*]",
    reason: "BucketDeployment reads the uploaded asset zips from CDK's bootstrap asset bucket.",
  },
  {
    id: "AwsSolutions::AwsSolutions-IAM5[Resource::<SiteDeploymentBucketBF7D53B9.Arn>/*]",
    reason: "BucketDeployment writes and prunes the page's objects in the site bucket.",
  },
];

function acknowledge(scope: IConstruct | undefined, findings: Acknowledgment[]): void {
  if (scope) Validations.of(scope).acknowledge(...findings);
}

/** CDK's singleton providers live at stack level under a fixed id prefix. */
function singleton(stack: Stack, idPrefix: string): IConstruct | undefined {
  return stack.node.children.find((child) => child.node.id.startsWith(idPrefix));
}

/** Findings of the constructs both targets share (the API function and, on aws, the SecureString provider). */
export function acknowledgeSharedFindings(stack: Stack, api: IConstruct): void {
  acknowledge(api, FUNCTION_FINDINGS);
  acknowledge(stack.node.tryFindChild("SecureStringParameterProvider"), FUNCTION_FINDINGS);
}

/** Findings of the aws target's identity, edge and site. */
export function acknowledgeAwsFindings(
  stack: Stack,
  parts: { identity: IConstruct; edge: IConstruct; site: IConstruct },
): void {
  acknowledge(parts.identity, [
    {
      id: "AwsSolutions::AwsSolutions-COG8",
      reason:
        "The Essentials tier is enough for a hosted-UI sample; Plus (threat protection) is billed per user.",
    },
    {
      id: "AwsSolutions::AwsSolutions-COG2",
      reason: "MFA is left to adopters; the sample's sign-up and sign-in stay password-only.",
    },
  ]);
  acknowledge(parts.edge, [
    {
      id: "AwsSolutions::AwsSolutions-SMG4",
      reason:
        "The origin secret is rotated by redeploying: CloudFront's origin header and the SSM copy must change together.",
    },
    {
      id: "AwsSolutions::AwsSolutions-CFR1",
      reason: "The web ACL's geo rule restricts countries, with a readable 403 the page can show.",
    },
    {
      id: "AwsSolutions::AwsSolutions-CFR3",
      reason: "No access-log bucket in the sample; WAF keeps metrics and sampled requests for every rule.",
    },
    {
      id: "AwsSolutions::AwsSolutions-CFR4",
      reason:
        "The default *.cloudfront.net certificate fixes the viewer TLS policy; a custom domain is needed to set TLSv1.2_2021.",
    },
  ]);
  acknowledge(parts.site, [
    {
      id: "AwsSolutions::AwsSolutions-S1",
      reason: "The bucket is only Amplify's private deployment source; Amplify serves the site.",
    },
    {
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:amplify:us-east-1:<AWS::AccountId>:apps/<SiteAppA555C636.AppId>/branches/main/deployments/*]",
      reason: "StartDeployment on this one branch; the deployment id under it is Amplify's.",
    },
  ]);
  acknowledge(singleton(stack, "Custom::CDKBucketDeployment"), [
    ...FUNCTION_FINDINGS,
    ...BUCKET_DEPLOYMENT_FINDINGS,
  ]);
  // AwsCustomResource's singleton provider (its id is CDK's fixed one).
  acknowledge(singleton(stack, "AWS679f53fac002430cb0da5b7982bd2287"), FUNCTION_FINDINGS);
}
