// A Function URL's settings (auth type, CORS, invoke mode), read from resolved AWS::Lambda::Url properties.
import { NotEmulatedError } from "../shared/awsError.js";

export interface FunctionUrlConfig {
  /** The `<url-id>` of `https://<url-id>.lambda-url.<region>.on.aws/`. */
  urlId: string;
  region: string;
  authType: "NONE" | "AWS_IAM";
  /** CloudFormation shape: AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders, AllowCredentials, MaxAge. */
  cors?: Record<string, unknown>;
  /** Only BUFFERED (the default) is emulated. */
  invokeMode?: string;
  /** Host header values the URL answers to, e.g. ["127.0.0.1:3003", "localhost:3003"]; others get 403. */
  acceptedHosts: () => string[];
}

/**
 * Builds a FunctionUrlConfig from resolved `AWS::Lambda::Url` Properties.
 * @throws Error for an unknown AuthType; NotEmulatedError for InvokeMode RESPONSE_STREAM.
 */
export function functionUrlConfigFromTemplate(input: {
  urlId: string;
  region: string;
  properties: Record<string, unknown>;
  acceptedHosts: () => string[];
}): FunctionUrlConfig {
  const { AuthType: authType, Cors: cors, InvokeMode: invokeMode } = input.properties;
  if (authType !== "NONE" && authType !== "AWS_IAM") {
    throw new Error(
      `Function URL ${input.urlId}: AuthType must be NONE or AWS_IAM, got ${JSON.stringify(authType)}.`,
    );
  }
  if (invokeMode !== undefined && invokeMode !== "BUFFERED") {
    throw new NotEmulatedError(`Function URL InvokeMode ${String(invokeMode)}`);
  }
  if (cors !== undefined && (typeof cors !== "object" || cors === null || Array.isArray(cors))) {
    throw new Error(`Function URL ${input.urlId}: Cors must be an object.`);
  }
  return {
    urlId: input.urlId,
    region: input.region,
    authType,
    ...(cors ? { cors: cors as Record<string, unknown> } : {}),
    ...(invokeMode ? { invokeMode: invokeMode as string } : {}),
    acceptedHosts: input.acceptedHosts,
  };
}
