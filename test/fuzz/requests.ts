// Generators of malformed requests for every server of the kit: bad paths and percent-encodings, absolute-form
// targets, odd methods, oversized heads and bodies, wrong content types, JSON of the wrong shape,
// prototype-named keys, huge and deeply nested values. Each case also carries the facts needed to go deep
// (the real pool and client ids), so requests reach the operations and not only the first check.
import fc from "fast-check";
import type { RawRequest } from "./rawHttp.js";

export const FUZZED_SERVICES = ["site", "cognito", "ssm", "cloudfront", "functionUrl", "control"] as const;
export type FuzzedService = (typeof FUZZED_SERVICES)[number];

/** What a client could know about the running kit (nothing secret). */
export interface KitFacts {
  poolId: string;
  clientId: string;
  siteUrl: string;
  parameterNames: string[];
}

export interface FuzzCase {
  service: FuzzedService;
  request: RawRequest;
}

const PROTO_NAMES = [
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "isPrototypeOf",
  "__defineGetter__",
];

const PERCENT = fc.constantFrom(
  "%E0%A4%A",
  "%",
  "%zz",
  "%00",
  "%2e%2e",
  "%2F",
  "%C0%AF",
  "%ff",
  "%u0041",
  "%25",
  "%E2%82%AC",
  "%0d%0a",
);

const KNOWN_SEGMENTS = [
  "",
  ".",
  "..",
  "index.html",
  "assets",
  "config.json",
  "login",
  "signup",
  "confirm",
  "logout",
  "error",
  "oauth2",
  "authorize",
  "token",
  "revoke",
  "userInfo",
  ".well-known",
  "jwks.json",
  "openid-configuration",
  "health",
  "users",
  "waf",
  "decisions",
  "confirmation-codes",
  "invocations",
  "requests",
  "parameters",
  "endpoints",
  "not-emulated",
  "_furl",
  "cognito",
  "confirmations",
];

const segment = fc.oneof(
  fc.constantFrom(...KNOWN_SEGMENTS, ...PROTO_NAMES),
  PERCENT,
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{1,16}$/),
);

const path = fc.array(segment, { maxLength: 5 }).map((segments) => `/${segments.join("/")}`);

const QUERY_NAMES = [
  "client_id",
  "redirect_uri",
  "response_type",
  "scope",
  "state",
  "code",
  "username",
  "limit",
  "logout_uri",
  "error",
  "nonce",
  "code_challenge",
  "code_challenge_method",
];

const bigString = (max: number) => fc.integer({ min: 0, max }).map((n) => "a".repeat(n));

function value(facts: KitFacts) {
  return fc.oneof(
    fc.string({ maxLength: 16 }),
    PERCENT,
    fc.constantFrom(facts.clientId, facts.siteUrl, facts.poolId, "code", "token", "openid email", "S256"),
    fc.constantFrom(...PROTO_NAMES),
    bigString(5000),
  );
}

function query(facts: KitFacts) {
  const pair = fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES, ...PROTO_NAMES), PERCENT), value(facts));
  const random = fc
    .array(pair, { maxLength: 5 })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&"));
  // A valid authorize query plus noise, so the hosted UI pages get past their first check.
  const authorize = random.map(
    (extra) =>
      `client_id=${facts.clientId}&response_type=code&redirect_uri=${encodeURIComponent(facts.siteUrl)}&scope=openid+email${extra ? `&${extra}` : ""}`,
  );
  return fc.oneof(random, authorize);
}

function target(facts: KitFacts) {
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc.tuple(path, fc.option(query(facts))).map(([p, q]) => (q === null ? p : `${p}?${q}`)),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "http://[",
        "http://",
        "*",
        "//",
        "///x",
        "http://127.0.0.1/",
        "http://evil.example/login?x=1",
        "https://[::1]:99999/",
        "/\\..\\..\\etc",
        "?",
        "/?%",
        "http://a@b@c/",
        "/%E0%A4%A",
        "/config.json%00",
      ),
    },
    { weight: 1, arbitrary: fc.stringMatching(/^[!-~]{1,64}$/) },
  );
}

const METHODS = fc.constantFrom(
  "GET",
  "GET",
  "POST",
  "POST",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
  "BREW",
  "CONNECT",
  "get",
);

const CONTENT_TYPES = fc.constantFrom(
  "application/json",
  "application/x-amz-json-1.1",
  "application/x-amz-json-1.1; charset=utf-8",
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=utf-8",
  "text/plain",
  "multipart/form-data; boundary=x",
  "",
  'application/x-www-form-urlencoded; charset="\\',
  "*/*",
);

const COGNITO_OPERATIONS = [
  "SignUp",
  "ConfirmSignUp",
  "InitiateAuth",
  "AdminCreateUser",
  "AdminSetUserPassword",
  "AdminConfirmSignUp",
  "AdminGetUser",
  "AdminDeleteUser",
  "ListUsers",
  "GetUser",
  "DescribeUserPoolClient",
  "ForgotPassword",
  "RespondToAuthChallenge",
];
const SSM_OPERATIONS = [
  "GetParameter",
  "GetParameters",
  "GetParametersByPath",
  "PutParameter",
  "DeleteParameter",
  "DescribeParameters",
];

function xAmzTarget(prefix: string, operations: string[]) {
  return fc.oneof(
    fc.constantFrom(...operations, ...PROTO_NAMES).map((op) => `${prefix}${op}`),
    fc.string({ maxLength: 30 }),
    fc.constantFrom(prefix, `${prefix}${"A".repeat(5000)}`),
  );
}

const EVIL_PATTERNS = fc.constantFrom(
  "^(a+)+$",
  "(a|aa)+$",
  "^(\\w+\\s?)*$",
  "(a?){1000}a{1000}",
  "(a*){1000}b",
  "(x+x+)+y",
  "^(a)\\1$",
  "(?=a)a",
  "[",
  "a{2,1}",
  "\\p{L}+",
  "(?i)^[a-z]{1,20}$",
);

/** A JSON-ish text: a value of the wrong shape, prototype-named keys, huge or deeply nested values. */
function jsonBody(fields: fc.Arbitrary<string>) {
  const protoObject = fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_NAMES), fields), fc.jsonValue({ maxDepth: 2 })), {
      maxLength: 6,
    })
    .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);
  return fc.oneof(
    { weight: 3, arbitrary: protoObject },
    { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 100_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
    },
    {
      weight: 1,
      arbitrary: bigString(300_000).map((s) => JSON.stringify({ Name: s, Username: s, Value: s })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", "{", "null", "[]", '"x"', "1e999", '{"a":1}garbage', "\u0000"),
    },
  );
}

function attributeList(facts: KitFacts) {
  const email = fc.oneof(
    fc.constantFrom("a@b.c", "x@example.com", "bad", "@", "a@b"),
    fc.integer({ min: 1, max: 70_000 }).map((n) => `${"a".repeat(n)}@${"b.".repeat(Math.min(n, 5000))}c`),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `a@${"a.".repeat(n)}`),
  );
  const attribute = fc.record({
    Name: fc.oneof(
      fc.constantFrom(
        "email",
        "email_verified",
        "cognito:groups",
        "custom:role",
        "sub",
        "name",
        ...PROTO_NAMES,
      ),
      fc.string({ maxLength: 40 }),
    ),
    Value: fc.oneof(email, fc.string({ maxLength: 20 }), fc.constant(facts.clientId)),
  });
  return fc.oneof(fc.array(attribute, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }));
}

function cognitoOperationBody(facts: KitFacts) {
  const name = fc.oneof(
    fc.constantFrom(...PROTO_NAMES, "user1", "a@b.c"),
    fc.string({ maxLength: 20 }),
    bigString(70_000),
  );
  return fc
    .record(
      {
        ClientId: fc.oneof(
          fc.constant(facts.clientId),
          fc.string({ maxLength: 30 }),
          fc.constantFrom(...PROTO_NAMES),
        ),
        UserPoolId: fc.oneof(
          fc.constant(facts.poolId),
          fc.constantFrom(...PROTO_NAMES),
          fc.string({ maxLength: 30 }),
        ),
        Username: name,
        Password: fc.oneof(fc.constant("Str0ng!Passw0rd"), fc.string({ maxLength: 20 }), bigString(70_000)),
        TemporaryPassword: fc.string({ maxLength: 20 }),
        SecretHash: fc.string({ maxLength: 44 }),
        ConfirmationCode: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.string({ maxLength: 10 })),
        UserAttributes: attributeList(facts),
        AuthFlow: fc.constantFrom(
          "USER_PASSWORD_AUTH",
          "REFRESH_TOKEN_AUTH",
          "USER_SRP_AUTH",
          "__proto__",
          "X",
        ),
        AuthParameters: fc.oneof(
          fc.record({ USERNAME: name, PASSWORD: fc.string({ maxLength: 20 }), SECRET_HASH: fc.string() }),
          fc.record({ REFRESH_TOKEN: fc.string({ maxLength: 60 }) }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        AccessToken: fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.constant("eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0."),
        ),
        Filter: fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom('email ^= "a"', `username = "${"\\\\".repeat(5000)}"`, 'constructor = "x"'),
        ),
        Limit: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })),
        PaginationToken: fc.string({ maxLength: 20 }),
        Permanent: fc.boolean(),
        MessageAction: fc.constantFrom("SUPPRESS", "RESEND", "__proto__"),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body));
}

function ssmOperationBody(facts: KitFacts) {
  const paramName = fc.oneof(
    fc.constantFrom(...facts.parameterNames),
    fc.constantFrom(...PROTO_NAMES).map((p) => `/aws/reference/secretsmanager/${p}`),
    fc.constantFrom("/fuzz/a", "/fuzz/b/c", "fuzz", "/aws/x", ...PROTO_NAMES),
    fc.string({ maxLength: 30 }),
    bigString(5000).map((s) => `/${s}`),
  );
  return fc
    .record(
      {
        Name: paramName,
        Names: fc.oneof(fc.array(paramName, { maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })),
        Value: fc.oneof(fc.string({ maxLength: 30 }), bigString(5000), fc.constant(`${"a".repeat(4000)}!`)),
        Type: fc.constantFrom("String", "SecureString", "StringList", "__proto__", "x"),
        AllowedPattern: fc.oneof(EVIL_PATTERNS, fc.string({ maxLength: 40 }), bigString(2000)),
        Overwrite: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
        WithDecryption: fc.oneof(fc.boolean(), fc.constant("true")),
        Path: fc.oneof(fc.constantFrom("/", "/furl-kit", "/furl-kit/FurlKit"), fc.string({ maxLength: 20 })),
        Recursive: fc.boolean(),
        MaxResults: fc.oneof(fc.integer(), fc.string({ maxLength: 3 })),
        NextToken: fc.string({ maxLength: 20 }),
        Tier: fc.constantFrom("Standard", "Advanced", "__proto__"),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body));
}

function formBody(facts: KitFacts) {
  const pair = fc.tuple(
    fc.constantFrom(
      "grant_type",
      "code",
      "redirect_uri",
      "client_id",
      "client_secret",
      "refresh_token",
      "token",
      "code_verifier",
      "username",
      "password",
      "email",
      "_csrf",
      ...PROTO_NAMES,
    ),
    fc.oneof(
      value(facts),
      fc.constantFrom("authorization_code", "refresh_token", "client_credentials", "password"),
    ),
  );
  return fc.array(pair, { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&"));
}

function headerSet(facts: KitFacts, service: FuzzedService) {
  const basic = fc
    .tuple(fc.oneof(fc.constant(facts.clientId), fc.string({ maxLength: 20 })), fc.string({ maxLength: 30 }))
    .map(([id, secret]) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`);
  const authorization = fc.oneof(
    basic,
    fc.constantFrom("Basic", "Basic !!!", "Bearer", "Bearer x.y.z", "Negotiate abc"),
    fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
  );
  const cookie = fc
    .array(
      fc.tuple(
        fc.constantFrom(`cognito-session-${facts.poolId}`, "XSRF-TOKEN", ...PROTO_NAMES),
        fc.oneof(fc.string({ maxLength: 43 }), PERCENT),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("; "));
  const target =
    service === "cognito"
      ? xAmzTarget("AWSCognitoIdentityProviderService.", COGNITO_OPERATIONS)
      : xAmzTarget("AmazonSSM.", SSM_OPERATIONS);
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 2 });
  return fc
    .record({
      contentType: optional(CONTENT_TYPES),
      xAmzTarget: optional(target),
      authorization: optional(authorization),
      cookie: optional(cookie),
      origin: optional(fc.constantFrom(new URL(facts.siteUrl).origin, "null", "https://evil.example")),
      forwardedFor: optional(
        fc.oneof(fc.ipV4(), fc.constantFrom("::1", "garbage", "1.2.3.4, 5.6.7.8", "[::")),
      ),
      // Mostly none; sometimes around Node's 16 KB and CloudFront's 20,480-byte limits, or far beyond.
      pad: fc.oneof(
        { weight: 12, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.integer({ min: 15_000, max: 21_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 70_000 }) },
      ),
      extra: fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/)),
          fc.stringMatching(/^[ -~]{0,40}$/),
        ),
        { maxLength: 3 },
      ),
    })
    .map((h) => {
      const headers: [string, string][] = [];
      if (h.contentType !== null) headers.push(["Content-Type", h.contentType]);
      if (h.xAmzTarget !== null) headers.push(["X-Amz-Target", h.xAmzTarget]);
      if (h.authorization !== null) headers.push(["Authorization", h.authorization]);
      if (h.cookie !== null) headers.push(["Cookie", h.cookie]);
      if (h.origin !== null) headers.push(["Origin", h.origin]);
      if (h.forwardedFor !== null) headers.push(["X-Forwarded-For", h.forwardedFor]);
      if (h.pad !== null) headers.push(["X-Pad", "p".repeat(h.pad)]);
      headers.push(...h.extra);
      return headers;
    });
}

function body(facts: KitFacts, service: FuzzedService) {
  const fields = fc.constantFrom("Name", "Names", "Username", "ClientId", "UserPoolId", "code", "token");
  const shaped =
    service === "cognito"
      ? cognitoOperationBody(facts)
      : service === "ssm"
        ? ssmOperationBody(facts)
        : formBody(facts);
  return fc.option(
    fc.oneof(
      { weight: 4, arbitrary: shaped },
      { weight: 2, arbitrary: formBody(facts) },
      { weight: 3, arbitrary: jsonBody(fields) },
      { weight: 1, arbitrary: fc.constant("x".repeat(1024 * 1024 + 1)) },
    ),
    { freq: 4 },
  );
}

// A well-formed CSRF token, sent as cookie and form field alike, so posted forms reach the hosted UI's handlers.
const CSRF = "fuzz-csrf-0123456789abcdefghijklmnopqrstuvw";

/** A hosted UI form post that passes the CSRF and authorize checks and carries malformed fields. */
function hostedUiPost(facts: KitFacts): fc.Arbitrary<FuzzCase> {
  const field = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(...PROTO_NAMES, "Str0ng!Passw0rd", "a@b.c", "123456", " padded "),
    PERCENT,
    bigString(20_000),
    fc.integer({ min: 1, max: 3000 }).map((n) => `${"a".repeat(n)}@${"b.".repeat(n)}c`),
  );
  const authorize = `client_id=${facts.clientId}&response_type=code&redirect_uri=${encodeURIComponent(facts.siteUrl)}&scope=openid+email`;
  return fc
    .record({
      page: fc.constantFrom("/login", "/signup", "/confirm"),
      fields: fc.array(
        fc.tuple(fc.constantFrom("username", "password", "email", "code", "_csrf", ...PROTO_NAMES), field),
        { maxLength: 5 },
      ),
      extraQuery: fc.option(fc.tuple(fc.constantFrom("username", ...PROTO_NAMES), field)),
    })
    .map(({ page, fields, extraQuery }) => ({
      service: "cognito" as const,
      request: {
        method: "POST",
        target: `${page}?${authorize}${extraQuery ? `&${extraQuery[0]}=${encodeURIComponent(extraQuery[1])}` : ""}`,
        headers: [
          ["Content-Type", "application/x-www-form-urlencoded"],
          ["Cookie", `XSRF-TOKEN=${CSRF}`],
        ] as [string, string][],
        body: new URLSearchParams([["_csrf", CSRF], ...fields]).toString(),
      },
    }));
}

/** One malformed request for one of the kit's servers. */
export function fuzzCase(facts: KitFacts): fc.Arbitrary<FuzzCase> {
  const anyService = fc.constantFrom(...FUZZED_SERVICES).chain((service) =>
    fc
      .record({
        method: METHODS,
        target: target(facts),
        headers: headerSet(facts, service),
        body: body(facts, service),
      })
      .map(({ method, target, headers, body }) => ({
        service,
        request: { method, target, headers, ...(body === null ? {} : { body }) },
      })),
  );
  return fc.oneof({ weight: 9, arbitrary: anyService }, { weight: 1, arbitrary: hostedUiPost(facts) });
}

/** A request for printing: the head as sent and the body cut to its first 2 KB. */
export function describeCase({ service, request }: FuzzCase): string {
  const cut = (text: string, max: number) =>
    text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  const body = request.body === undefined ? "" : cut(String(request.body), 2048);
  return [
    `service: ${service}`,
    `${request.method} ${cut(request.target, 512)} HTTP/1.1`,
    ...request.headers.map(([name, v]) => `${name}: ${cut(v, 256)}`),
    "",
    body,
  ].join("\n");
}
