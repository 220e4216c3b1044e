// One AWS API gateway for code the kit runs: requests to an emulated service's AWS host name (routed here from
// inside the function's process, see lambda/awsHostRouting.mjs) reach that service's handler, over HTTPS with a
// certificate from the kit's own CA, or plain HTTP. A client pointed at the plain port by an endpoint setting is
// dispatched by the service its SigV4 signature names instead.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  createSecureContext,
  createServer as createTlsServer,
  type SecureContext,
  type TLSSocket,
} from "node:tls";
import { type Listening, listen } from "../shared/listen.js";
import type { Logger } from "../shared/log.js";
import { loadCertificateAuthority } from "./certificates.js";

export interface GatewayRoute {
  /** SigV4 signing name: "cognito-idp", "ssm", "secretsmanager", "lambda", "amplify", "states", "s3", … */
  service: string;
  /** Exact host names, or `*.rest.of.name` matching one more label. */
  hosts: string[];
  /** X-Amz-Target prefixes of its JSON protocol, e.g. "AmazonSSM." */
  targetPrefixes?: string[];
  handler: RequestListener;
}

/** What a function process needs to send the routed hosts here; JSON, it crosses a thread and a process argv. */
export interface HostRouting {
  hosts: string[];
  httpsPort: number;
  httpPort: number;
  caPem: string;
}

export interface AwsGateway {
  readonly httpPort: number;
  readonly httpsPort: number;
  /** `http://127.0.0.1:<httpPort>` */
  readonly httpUrl: string;
  /** Replaces every route (at start and at each reload). */
  setRoutes(routes: GatewayRoute[]): void;
  hostRouting(): HostRouting;
  close(): Promise<void>;
}

/** Whether `host` is one of `patterns` (exact, or `*.` one label deep). */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase();
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    if (!p.startsWith("*.")) return p === name;
    const rest = p.slice(1);
    return name.endsWith(rest) && !name.slice(0, -rest.length).includes(".") && name.length > rest.length;
  });
}

/** The service a SigV4 `Authorization` header was signed for (`Credential=<key>/<date>/<region>/<service>/…`). */
export function signingServiceOf(authorization: string | undefined): string | undefined {
  return authorization?.match(/Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/)?.[1];
}

/** The route for a request: by Host, else by the signing name, else by the X-Amz-Target prefix. */
export function routeFor(routes: readonly GatewayRoute[], req: IncomingMessage): GatewayRoute | undefined {
  const host = (req.headers.host ?? "").replace(/:\d+$/, "");
  const byHost = routes.find((r) => hostMatches(host, r.hosts));
  if (byHost) return byHost;
  const signed = signingServiceOf(req.headers.authorization);
  if (signed) return routes.find((r) => r.service === signed);
  const target = req.headers["x-amz-target"];
  if (typeof target === "string")
    return routes.find((r) => r.targetPrefixes?.some((p) => target.startsWith(p)));
  return undefined;
}

export async function startAwsGateway(options: {
  stateDir: string;
  log: Logger;
  host?: string;
  httpPort?: number;
  httpsPort?: number;
}): Promise<AwsGateway> {
  const authority = loadCertificateAuthority(join(options.stateDir, "gateway"));
  let routes: GatewayRoute[] = [];
  const dispatch = (req: IncomingMessage, res: ServerResponse) => {
    const route = routeFor(routes, req);
    if (route) return route.handler(req, res);
    req.resume();
    const service = signingServiceOf(req.headers.authorization) ?? req.headers.host ?? "this service";
    res
      .writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "UnknownServiceException" })
      .end(
        JSON.stringify({
          __type: "UnknownServiceException",
          message: `furl-kit does not emulate ${service}`,
        }),
      );
  };
  const http: Listening = await listen(dispatch, options.httpPort ?? 0, "aws gateway", {
    host: options.host,
    log: options.log,
  });
  const contexts = new Map<string, SecureContext>();
  // TLS ends here; each connection then goes to the same HTTP server, so both ports share one error boundary.
  const tls = createTlsServer({
    SNICallback(servername, done) {
      if (!routes.some((r) => hostMatches(servername, r.hosts))) {
        done(new Error(`no route for ${servername}`));
        return;
      }
      let context = contexts.get(servername);
      if (!context) {
        context = createSecureContext(authority.leafFor(servername));
        contexts.set(servername, context);
      }
      done(null, context);
    },
  });
  tls.on("secureConnection", (socket: TLSSocket) => http.server.emit("connection", socket));
  tls.on("tlsClientError", () => {});
  await new Promise<void>((resolve, reject) => {
    tls.once("error", reject);
    tls.listen(options.httpsPort ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const httpsPort = (tls.address() as AddressInfo).port;
  return {
    httpPort: http.port,
    httpsPort,
    httpUrl: http.url,
    setRoutes(next) {
      routes = next;
    },
    hostRouting: () => ({
      hosts: routes.flatMap((r) => r.hosts),
      httpsPort,
      httpPort: http.port,
      caPem: authority.caPem,
    }),
    async close() {
      await Promise.all([http.close(), new Promise<void>((resolve) => tls.close(() => resolve()))]);
    },
  };
}
