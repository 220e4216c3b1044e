// ARN of an SSM parameter given its full name, for exact (no wildcard) IAM grants.
import { ArnFormat, Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * @param name full parameter name, e.g. "/furl-kit/FurlKit/client-id"
 * @returns arn:<partition>:ssm:<region>:<account>:parameter/furl-kit/FurlKit/client-id
 */
export function ssmParameterArn(scope: IConstruct, name: string): string {
  return Stack.of(scope).formatArn({
    service: "ssm",
    resource: "parameter",
    // The ARN carries the name without its leading slash.
    resourceName: name.replace(/^\//, ""),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
