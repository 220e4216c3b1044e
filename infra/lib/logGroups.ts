// CloudWatch log groups for the stack's functions: kept a month, removed with the stack.
import { RemovalPolicy } from "aws-cdk-lib";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";

/** How long function logs are kept (Lambda's own log groups never expire). */
export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** A log group for one function, passed as its `logGroup` so Lambda never creates one without retention. */
export function functionLogGroup(scope: Construct, id: string): logs.LogGroup {
  return new logs.LogGroup(scope, id, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
}
