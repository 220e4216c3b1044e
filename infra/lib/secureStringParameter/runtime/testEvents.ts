// Test helper: CloudFormation custom resource events for Custom::SecureStringParameter.
import type { CloudFormationCustomResourceEvent } from "aws-lambda";

const common = {
  ServiceToken: "arn:aws:lambda:us-east-1:123456789012:function:provider",
  ResponseURL:
    "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/signed?X-Amz-Signature=abc",
  StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/FurlKit/guid",
  RequestId: "req-1",
  LogicalResourceId: "Configclientsecret579AACDA",
  ResourceType: "Custom::SecureStringParameter",
};

export const cognitoProps = {
  ServiceToken: common.ServiceToken,
  ParameterName: "/furl-kit/FurlKit/client-secret",
  ValueFrom: { CognitoClientSecret: { UserPoolId: "us-east-1_AbC123xyZ", ClientId: "client123" } },
};

export function createEvent(
  props: Record<string, unknown> = cognitoProps,
): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: "Create", ResourceProperties: props as never };
}

export function updateEvent(
  props: Record<string, unknown>,
  oldProps: Record<string, unknown>,
  physicalId: string,
): CloudFormationCustomResourceEvent {
  return {
    ...common,
    RequestType: "Update",
    PhysicalResourceId: physicalId,
    ResourceProperties: props as never,
    OldResourceProperties: oldProps as never,
  };
}

export function deleteEvent(physicalId: string): CloudFormationCustomResourceEvent {
  return {
    ...common,
    RequestType: "Delete",
    PhysicalResourceId: physicalId,
    ResourceProperties: cognitoProps,
  };
}
