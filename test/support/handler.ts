// Test fakes for the handler: msw stand-ins for SSM, Cognito's /oauth2/token and the JWKS, plus real RS256 tokens.
import { randomUUID } from "node:crypto";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { delay, HttpResponse, http } from "msw";

export const REGION = "us-east-1";
export const POOL_ID = "us-east-1_AbC123xyZ";
export const CLIENT_ID = "4tq6h2example7client9id3ab";
export const CLIENT_SECRET = "c1ient-secret-0123456789abcdefghijklmnopqrstuvwxyz";
export const ORIGIN_SECRET = "origin-secret-zyxw9876vuts5432";
export const PREFIX = "/furl-kit/FurlKit";
export const SSM_ENDPOINT = "https://ssm.fake.test";
export const COGNITO_DOMAIN = "https://furl-kit-123.auth.us-east-1.amazoncognito.com";
export const REDIRECT_URI = "https://main.d1abc.amplifyapp.com/";
// Plain http on purpose: aws-jwt-verify's own fetcher would refuse it, ours must not.
export const JWKS_URI = `http://cognito.fake.test/${POOL_ID}/.well-known/jwks.json`;
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;

/** How a fake dependency answers. */
export type FakeMode = "ok" | "down" | "hang" | "error500";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
interface SigningKey {
  kid: string;
  keys: KeyPair;
}

/** Parameter values the fake SSM serves, by suffix. */
export function defaultParameters(): Record<string, string> {
  return {
    "cognito-domain-url": COGNITO_DOMAIN,
    "client-id": CLIENT_ID,
    "client-secret": CLIENT_SECRET,
    "redirect-uri": REDIRECT_URI,
    "user-pool-id": POOL_ID,
    "jwks-uri": JWKS_URI,
    "origin-secret": ORIGIN_SECRET,
  };
}

/** The three fake services, with call counters and switchable failure modes. */
export class FakeAws {
  parameters = defaultParameters();
  ssmMode: FakeMode | "accessDenied" = "ok";
  tokenMode: FakeMode | "invalidClient" = "ok";
  jwksMode: FakeMode | "garbage" = "ok";
  ssmCalls = 0;
  tokenCalls = 0;
  jwksCalls = 0;
  /** Every code and token handed out, so tests can check none leaks. */
  readonly issued: string[] = [];
  private readonly codes = new Map<string, string>();

  private constructor(
    readonly signing: SigningKey,
    readonly other: SigningKey,
  ) {}

  static async create(): Promise<FakeAws> {
    const make = async (): Promise<SigningKey> => ({
      kid: Buffer.from(randomUUID()).toString("base64"),
      keys: await generateKeyPair("RS256", { extractable: true }),
    });
    return new FakeAws(await make(), await make());
  }

  /** msw handlers for SSM GetParameters, /oauth2/token and the JWKS. */
  handlers() {
    return [
      http.post(`${SSM_ENDPOINT}/`, async ({ request }) => {
        this.ssmCalls++;
        if (request.headers.get("x-amz-target") !== "AmazonSSM.GetParameters") {
          return HttpResponse.json({ __type: "UnknownOperationException" }, { status: 400 });
        }
        if (this.ssmMode === "hang") await delay("infinite");
        if (this.ssmMode === "down") return HttpResponse.error();
        if (this.ssmMode === "error500")
          return HttpResponse.json({ __type: "InternalServerError" }, { status: 500 });
        if (this.ssmMode === "accessDenied") {
          return HttpResponse.json(
            { __type: "AccessDeniedException", message: "not allowed" },
            { status: 400, headers: { "content-type": "application/x-amz-json-1.1" } },
          );
        }
        const { Names, WithDecryption } = (await request.json()) as {
          Names: string[];
          WithDecryption: boolean;
        };
        const found = Names.filter((name) => this.valueOf(name) !== undefined);
        return HttpResponse.json(
          {
            Parameters: found.map((name) => ({
              Name: name,
              Type: name.endsWith("secret") ? "SecureString" : "String",
              Value: name.endsWith("secret") && !WithDecryption ? "ENCRYPTED" : this.valueOf(name),
              Version: 1,
              ARN: `arn:aws:ssm:${REGION}:000000000000:parameter${name}`,
              DataType: "text",
            })),
            InvalidParameters: Names.filter((name) => !found.includes(name)),
          },
          { headers: { "content-type": "application/x-amz-json-1.1" } },
        );
      }),
      http.post(`${COGNITO_DOMAIN}/oauth2/token`, async ({ request }) => {
        this.tokenCalls++;
        if (this.tokenMode === "hang") await delay("infinite");
        if (this.tokenMode === "down") return HttpResponse.error();
        if (this.tokenMode === "error500") return HttpResponse.text("oops", { status: 500 });
        const expectedAuth = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
        if (this.tokenMode === "invalidClient" || request.headers.get("authorization") !== expectedAuth) {
          return HttpResponse.json({ error: "invalid_client" }, { status: 400 });
        }
        const form = new URLSearchParams(await request.text());
        if (
          request.headers.get("content-type") !== "application/x-www-form-urlencoded" ||
          form.get("grant_type") !== "authorization_code" ||
          form.get("redirect_uri") !== REDIRECT_URI ||
          form.get("client_id") !== CLIENT_ID
        ) {
          return HttpResponse.json({ error: "invalid_request" }, { status: 400 });
        }
        const accessToken = this.codes.get(form.get("code") ?? "");
        if (accessToken === undefined) return HttpResponse.json({ error: "invalid_grant" }, { status: 400 });
        this.codes.delete(form.get("code") ?? ""); // single use
        return HttpResponse.json({
          access_token: accessToken,
          id_token: await this.sign({ token_use: "id", aud: CLIENT_ID }),
          refresh_token: `eyJjdHkiOiJKV1QifQ.${randomUUID()}.${randomUUID()}.${randomUUID()}.${randomUUID()}`,
          token_type: "Bearer",
          expires_in: 3600,
        });
      }),
      http.get(JWKS_URI, async () => {
        this.jwksCalls++;
        if (this.jwksMode === "hang") await delay("infinite");
        if (this.jwksMode === "down") return HttpResponse.error();
        if (this.jwksMode === "error500") return HttpResponse.text("oops", { status: 500 });
        if (this.jwksMode === "garbage") return HttpResponse.text("not json");
        const jwk = await exportJWK(this.signing.keys.publicKey);
        return HttpResponse.json({ keys: [{ ...jwk, alg: "RS256", kid: this.signing.kid, use: "sig" }] });
      }),
    ];
  }

  /** Registers a single-use code that redeems for `accessToken` (default: a valid access token). */
  async issueCode(accessToken?: string): Promise<string> {
    const code = randomUUID();
    this.codes.set(code, accessToken ?? (await this.accessToken()));
    this.issued.push(code);
    return code;
  }

  /** A Cognito-shaped access token; override claims or sign with the other key. */
  async accessToken(
    claims: JWTPayload = {},
    key: "signing" | "other" | "otherSameKid" = "signing",
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.sign(
      {
        sub: randomUUID(),
        iss: ISSUER,
        version: 2,
        client_id: CLIENT_ID,
        origin_jti: randomUUID(),
        event_id: randomUUID(),
        token_use: "access",
        scope: "openid email",
        auth_time: now,
        exp: now + 3600,
        iat: now,
        jti: randomUUID(),
        username: "alice",
        ...claims,
      },
      key,
    );
  }

  private async sign(
    claims: JWTPayload,
    key: "signing" | "other" | "otherSameKid" = "signing",
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const signer = key === "signing" ? this.signing : this.other;
    const kid = key === "other" ? this.other.kid : this.signing.kid;
    const token = await new SignJWT({ iss: ISSUER, iat: now, exp: now + 3600, sub: randomUUID(), ...claims })
      .setProtectedHeader({ kid, alg: "RS256" })
      .sign(signer.keys.privateKey);
    this.issued.push(token);
    return token;
  }

  private valueOf(name: string): string | undefined {
    if (!name.startsWith(`${PREFIX}/`)) return undefined;
    return this.parameters[name.slice(PREFIX.length + 1)];
  }
}

/** A Function URL event (payload 2.0) as CloudFront's origin request produces it. */
export function functionUrlEvent(
  options: {
    method?: string;
    body?: string;
    isBase64Encoded?: boolean;
    headers?: Record<string, string>;
  } = {},
): LambdaFunctionURLEvent {
  const method = options.method ?? "POST";
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/",
    rawQueryString: "",
    headers: {
      host: "abc123.lambda-url.us-east-1.on.aws",
      "content-type": "application/json",
      "x-origin-verify": ORIGIN_SECRET,
      ...options.headers,
    },
    requestContext: {
      accountId: "anonymous",
      apiId: "abc123",
      domainName: "abc123.lambda-url.us-east-1.on.aws",
      domainPrefix: "abc123",
      http: {
        method,
        path: "/",
        protocol: "HTTP/1.1",
        sourceIp: "130.176.0.1",
        userAgent: "Amazon CloudFront",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: "11/Jan/2023:11:45:34 +0000",
      timeEpoch: 1673437534000,
    },
    body: options.body,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

/** A POST event carrying `{ "code": code }`. */
export function codeEvent(code: string): LambdaFunctionURLEvent {
  return functionUrlEvent({ body: JSON.stringify({ code }) });
}
