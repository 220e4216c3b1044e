// LocalStack's Function URL host names: `<url-id>.lambda-url.<region>.localhost.localstack.cloud:4566`.

/** The gateway port LocalStack listens on inside its container (and, by default, on the host). */
export const LOCALSTACK_GATEWAY_PORT = 4566;

export interface LocalStackFunctionUrl {
  urlId: string;
  region: string;
  /** The Host header LocalStack's URL router matches, e.g. `abc.lambda-url.us-east-1.localhost.localstack.cloud:4566`. */
  host: string;
}

/** Thrown when a value is not a LocalStack (or AWS) Function URL. */
export class FunctionUrlFormatError extends Error {
  constructor(value: string) {
    super(
      `"${value}" is not a Function URL like http://<id>.lambda-url.<region>.localhost.localstack.cloud:4566/`,
    );
    this.name = "FunctionUrlFormatError";
  }
}

/** The Host LocalStack's router answers for a URL id; it matches `<id>.lambda-url.<region>.<anything>`. */
export function localStackFunctionUrlHost(
  urlId: string,
  region: string,
  port: number = LOCALSTACK_GATEWAY_PORT,
): string {
  return `${urlId}.lambda-url.${region}.localhost.localstack.cloud:${port}`;
}

/**
 * Reads the url id and region from the `FunctionUrl` stack output (LocalStack's or AWS's shape).
 * @throws FunctionUrlFormatError
 */
export function parseFunctionUrl(value: string): LocalStackFunctionUrl {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FunctionUrlFormatError(value);
  }
  const match = /^([a-z0-9]+)\.lambda-url\.([a-z0-9-]+)\./.exec(url.hostname);
  if (!match) throw new FunctionUrlFormatError(value);
  const [, urlId, region] = match as unknown as [string, string, string];
  return {
    urlId,
    region,
    host: localStackFunctionUrlHost(urlId, region, Number(url.port || LOCALSTACK_GATEWAY_PORT)),
  };
}
