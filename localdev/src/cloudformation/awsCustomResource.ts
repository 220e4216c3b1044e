// CDK's AwsCustomResource (`Custom::AWS` and its subtypes): its properties carry the SDK call of each lifecycle
// event as a JSON string. Its real handler runs locally; this only reads which service it will call, so a call to a
// service the kit does not emulate fails the resource at once with a message naming the call.

export interface SdkCall {
  service: string;
  action: string;
}

/** The call `properties` make for `requestType`, when they are an AwsCustomResource's (else undefined). */
export function awsCustomResourceCall(
  properties: Record<string, unknown>,
  requestType: "Create" | "Update" | "Delete",
): SdkCall | undefined {
  const raw = properties[requestType];
  if (typeof raw !== "string") return undefined;
  try {
    const call = JSON.parse(raw) as { service?: unknown; action?: unknown };
    if (typeof call.service !== "string" || typeof call.action !== "string") return undefined;
    return { service: call.service, action: call.action };
  } catch {
    return undefined;
  }
}

// The handler names services the SDK v2 way ("CognitoIdentityServiceProvider") or v3's ("@aws-sdk/client-ssm",
// "cognito-identity-provider"); CDK's sdk-v2-to-v3 table maps one to the other. Only the emulated ones are needed
// here, by the SigV4 signing name the kit's gateway routes on.
const SIGNING_NAMES: Record<string, string> = {
  cognitoidentityserviceprovider: "cognito-idp",
  "cognito-identity-provider": "cognito-idp",
  ssm: "ssm",
  secretsmanager: "secretsmanager",
  "secrets-manager": "secretsmanager",
  amplify: "amplify",
  lambda: "lambda",
  stepfunctions: "states",
  sfn: "states",
  s3: "s3",
};

/** The signing name of an AwsCustomResource `service`, if the kit knows it. */
export function signingNameOf(service: string): string | undefined {
  const name = service.toLowerCase().replace(/^@aws-sdk\/client-/, "");
  return SIGNING_NAMES[name];
}

/** Why an AwsCustomResource call cannot run here (its service is not emulated), else undefined. */
export function refuseUnemulatedCall(
  properties: Record<string, unknown>,
  requestType: "Create" | "Update" | "Delete",
  emulated: ReadonlySet<string>,
): string | undefined {
  const call = awsCustomResourceCall(properties, requestType);
  if (!call) return undefined;
  const signingName = signingNameOf(call.service);
  if (signingName && emulated.has(signingName)) return undefined;
  return `its ${requestType} call ${call.service}.${call.action} needs ${call.service}, which the kit does not emulate`;
}
