// Benchmark: /oauth2/token authorization-code exchanges per second over HTTP (run: npx tsx bench/cognito.ts).
import { createHmac } from "node:crypto";
import { pathToFileURL } from "node:url";
import { HostedUiClient } from "../test/support/cognito/hostedUiClient.js";
import { PASSWORD, SITE_URL, samplePool, startTestEmulator } from "../test/support/cognito/testEmulator.js";

export interface TokenExchangeBench {
  exchangesPerSecond: number;
  exchanges: number;
  concurrency: number;
  failures: number;
  /** Codes per second through the hosted UI (authorize + session cookie), for comparison. */
  codesPerSecond: number;
  durationMs: number;
}

/**
 * Starts the emulator on port 0, signs one user in, collects `exchanges` codes through the hosted UI
 * (the session cookie skips the password), then redeems them over HTTP with `concurrency` parallel callers.
 */
export async function benchTokenExchange(
  options: { exchanges?: number; concurrency?: number } = {},
): Promise<TokenExchangeBench> {
  const exchanges = options.exchanges ?? 2_000;
  const concurrency = options.concurrency ?? 10;
  const pool = samplePool();
  const client = pool.clients[0]!;
  const env = await startTestEmulator({ pools: [pool] });
  try {
    const params = { clientId: client.clientId, redirectUri: SITE_URL, scope: "openid email" };
    const browser = new HostedUiClient(env.url);
    await browser.authorize(params);
    await browser.signUp({ username: "bench", email: "bench@example.com", password: PASSWORD });
    await browser.confirm();

    const codes: string[] = [];
    const codesStart = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        // One browser per worker, sharing the signed-in cookies.
        const worker = new HostedUiClient(env.url);
        for (const [name, value] of browser.cookies) worker.cookies.set(name, value);
        while (codes.length < exchanges) {
          const code = (await worker.authorize(params)).redirect?.code;
          if (!code) throw new Error("the session did not yield a code");
          codes.push(code);
        }
      }),
    );
    const codesMs = performance.now() - codesStart;

    const authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
    let next = 0;
    let failures = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < codes.length) {
          const code = codes[next++]!;
          const response = await fetch(`${env.url}/oauth2/token`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", authorization },
            body: new URLSearchParams({
              grant_type: "authorization_code",
              code,
              redirect_uri: SITE_URL,
            }).toString(),
          });
          await response.arrayBuffer();
          if (response.status !== 200) failures++;
        }
      }),
    );
    const durationMs = performance.now() - start;
    return {
      exchangesPerSecond: Math.round((codes.length / durationMs) * 1000),
      exchanges: codes.length,
      concurrency,
      failures,
      codesPerSecond: Math.round((codes.length / codesMs) * 1000),
      durationMs: Math.round(durationMs),
    };
  } finally {
    await env.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await benchTokenExchange();
  console.log(JSON.stringify(result, null, 2));
}

/** What {@link benchSignIns} measured. */
export interface SignInBench {
  signInsPerSecond: number;
  connections: number;
  non2xx: number;
  p50Ms: number;
}

/**
 * Sign-ins per second: `InitiateAuth` (USER_PASSWORD_AUTH, one password check each) over HTTP with
 * `connections` parallel connections for `durationSeconds`, against an emulator on port 0.
 * @param load the load generator (bench/load.ts), passed in so this module needs no benchmark dependency
 */
export async function benchSignIns(
  load: (o: {
    url: string;
    connections: number;
    durationSeconds: number;
    method: "POST";
    headers: Record<string, string>;
    body: string;
  }) => Promise<{ requestsPerSecond: number; non2xx: number; p50Ms: number }>,
  options: { connections?: number; durationSeconds?: number } = {},
): Promise<SignInBench> {
  const connections = options.connections ?? 10;
  const pool = samplePool();
  const client = pool.clients[0]!;
  const env = await startTestEmulator({ pools: [pool] });
  try {
    const browser = new HostedUiClient(env.url);
    await browser.authorize({ clientId: client.clientId, redirectUri: SITE_URL, scope: "openid email" });
    await browser.signUp({ username: "bench", email: "bench@example.com", password: PASSWORD });
    await browser.confirm();
    const secretHash = createHmac("sha256", client.clientSecret!)
      .update(`bench${client.clientId}`)
      .digest("base64");
    const result = await load({
      url: env.url,
      connections,
      durationSeconds: options.durationSeconds ?? 5,
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
      },
      body: JSON.stringify({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: client.clientId,
        AuthParameters: { USERNAME: "bench", PASSWORD: PASSWORD, SECRET_HASH: secretHash },
      }),
    });
    return {
      signInsPerSecond: result.requestsPerSecond,
      connections,
      non2xx: result.non2xx,
      p50Ms: result.p50Ms,
    };
  } finally {
    await env.close();
  }
}
