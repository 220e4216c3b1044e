// LocalStack Function URL hosts: built and parsed the way its URL router matches them.
import { describe, expect, it } from "vitest";
import { FunctionUrlFormatError, localStackFunctionUrlHost, parseFunctionUrl } from "./functionUrlHost.js";

describe("parseFunctionUrl", () => {
  it("reads the id and region of a LocalStack Function URL and gives the Host its router matches", () => {
    expect(parseFunctionUrl("http://abc123.lambda-url.us-east-1.localhost.localstack.cloud:4566/")).toEqual({
      urlId: "abc123",
      region: "us-east-1",
      host: "abc123.lambda-url.us-east-1.localhost.localstack.cloud:4566",
    });
  });

  it("reads the shape a Testcontainers LocalStack prints (LOCALSTACK_HOST=localhost, no localstack.cloud)", () => {
    // LocalStack 4.14 builds the URL as http://<id>.lambda-url.<region>.<LOCALSTACK_HOST host:port>/
    // (services/lambda_/provider.py); its router matches <id>.lambda-url.<region>.<anything>.
    expect(parseFunctionUrl("http://abc123.lambda-url.us-east-1.localhost:4566/")).toEqual({
      urlId: "abc123",
      region: "us-east-1",
      host: "abc123.lambda-url.us-east-1.localhost.localstack.cloud:4566",
    });
  });

  it("accepts the AWS shape too (port 4566 assumed for LocalStack's gateway)", () => {
    expect(parseFunctionUrl("https://abc123.lambda-url.eu-west-1.on.aws/").host).toBe(
      localStackFunctionUrlHost("abc123", "eu-west-1"),
    );
  });

  it.each(["unknown", "http://localhost:4566/", ""])(
    "rejects %j with a message showing the expected shape",
    (value) => {
      expect(() => parseFunctionUrl(value)).toThrow(FunctionUrlFormatError);
      expect(() => parseFunctionUrl(value)).toThrow(/lambda-url\.<region>/);
    },
  );
});
