// Core of Custom::SecureStringParameter: reads a secret and keeps it in SSM as a SecureString.
import type { CloudFormationCustomResourceEvent } from "aws-lambda";
import { parseProperties, type ValueSource } from "./valueFrom.js";

/** The AWS calls the resource needs; injected so the logic runs without AWS in tests. */
export interface SecureStringDeps {
  /** The app client's secret (Cognito DescribeUserPoolClient). */
  readClientSecret(userPoolId: string, clientId: string): Promise<string>;
  /** A Secrets Manager secret's string value. */
  readSecret(secretId: string): Promise<string>;
  /** SSM PutParameter, Type SecureString, Overwrite true. */
  putSecureString(name: string, value: string): Promise<void>;
  /** SSM DeleteParameter; resolves when the parameter is already gone. */
  deleteParameter(name: string): Promise<void>;
}

/** What CloudFormation is told; never carries the secret. */
export interface ResourceResult {
  physicalResourceId: string;
}

/** Physical id given to a Create that failed, so the Delete CloudFormation sends next touches nothing. */
export const FAILED_CREATE_ID_PREFIX = "failed-create:";

/**
 * Applies one CloudFormation lifecycle event. The physical id is the parameter name, so a changed
 * ParameterName makes CloudFormation delete the old parameter after the new one is written.
 * @throws InvalidPropertiesError or the AWS error; the caller reports it as FAILED.
 */
export async function onEvent(
  event: CloudFormationCustomResourceEvent,
  deps: SecureStringDeps,
): Promise<ResourceResult> {
  if (event.RequestType === "Delete") {
    const name = event.PhysicalResourceId;
    if (name.startsWith("/")) await deps.deleteParameter(name);
    return { physicalResourceId: name };
  }
  const { parameterName, source } = parseProperties(event.ResourceProperties);
  const value = await readValue(source, deps);
  if (value === "") throw new Error(`The ${source.kind} source returned an empty value`);
  await deps.putSecureString(parameterName, value);
  return { physicalResourceId: parameterName };
}

function readValue(source: ValueSource, deps: SecureStringDeps): Promise<string> {
  return source.kind === "CognitoClientSecret"
    ? deps.readClientSecret(source.userPoolId, source.clientId)
    : deps.readSecret(source.secretId);
}
