// Behaviour of request parsing: method check, header lookup and sign-in code extraction.
import { describe, expect, it } from "vitest";
import { functionUrlEvent } from "../../test/support/handler.js";
import { BadRequestError, MethodNotAllowedError } from "./errors.js";
import { assertPost, getHeader, MAX_BODY_BYTES, readSignInCode } from "./request.js";

describe("Function: readSignInCode", () => {
  it("prefers code over cognitoCode", () => {
    const event = functionUrlEvent({ body: JSON.stringify({ code: "a-code", cognitoCode: "b-code" }) });
    expect(readSignInCode(event)).toBe("a-code");
  });

  it("treats an empty string code as a guest", () => {
    expect(readSignInCode(functionUrlEvent({ body: '{"code":""}' }))).toBeUndefined();
  });

  it("accepts a body of exactly the size limit", () => {
    const body = JSON.stringify({ code: "c", pad: "" });
    const padded = JSON.stringify({ code: "c", pad: "x".repeat(MAX_BODY_BYTES - body.length) });
    expect(Buffer.byteLength(padded)).toBe(MAX_BODY_BYTES);
    expect(readSignInCode(functionUrlEvent({ body: padded }))).toBe("c");
  });

  it("rejects base64 that is not UTF-8", () => {
    const body = Buffer.from([0xff, 0xfe, 0xfd]).toString("base64");
    expect(() => readSignInCode(functionUrlEvent({ body, isBase64Encoded: true }))).toThrow(BadRequestError);
  });

  it("rejects a JSON null body", () => {
    expect(() => readSignInCode(functionUrlEvent({ body: "null" }))).toThrow(BadRequestError);
  });
});

describe("Function: assertPost", () => {
  it("accepts POST and rejects HEAD", () => {
    expect(() => assertPost(functionUrlEvent({ method: "POST" }))).not.toThrow();
    expect(() => assertPost(functionUrlEvent({ method: "HEAD" }))).toThrow(MethodNotAllowedError);
  });
});

describe("Function: getHeader", () => {
  it("finds headers whatever their case", () => {
    const event = functionUrlEvent({ headers: { "X-Origin-Verify": "v" } });
    delete event.headers["x-origin-verify"];
    expect(getHeader(event, "x-origin-verify")).toBe("v");
  });
});
