// Inside a function's process: connections to the AWS host names the kit emulates go to the kit's gateway instead
// of the internet, whatever the client (node:http, node:https, fetch, the AWS SDK v3 or v2), with TLS verified
// against the kit's CA for those hosts only. Every other host is left alone. No DNS or certificate change is made
// outside this process.
import net from "node:net";
import tls from "node:tls";

/** @param {{hosts: string[], httpsPort: number, httpPort: number, caPem: string} | undefined} routing */
export function routeAwsHosts(routing) {
  if (!routing?.hosts?.length) return;
  const patterns = routing.hosts.map((h) => h.toLowerCase());
  // The gateway's hostMatches rule, again in plain JavaScript: this file runs in the function's process with no
  // TypeScript loader. gateway.test.ts checks both sides agree on the same names.
  const routed = (host) => {
    if (typeof host !== "string") return false;
    const name = host.toLowerCase().replace(/\.$/, "");
    return patterns.some((p) => {
      if (!p.startsWith("*.")) return p === name;
      const rest = p.slice(1);
      return name.length > rest.length && name.endsWith(rest) && !name.slice(0, -rest.length).includes(".");
    });
  };

  // tls.connect(options[, callback]) and tls.connect(port[, host][, options][, callback])
  const tlsConnect = tls.connect;
  tls.connect = function connect(...args) {
    const { options, callback } = tlsArgs(args);
    if (options.socket || !routed(options.host ?? options.servername)) return tlsConnect.apply(this, args);
    const host = options.host ?? options.servername;
    const rerouted = {
      ...options,
      host: "127.0.0.1",
      port: routing.httpsPort,
      servername: options.servername || host,
      ca: routing.caPem,
      // Checked against the name the client asked for, not 127.0.0.1.
      checkServerIdentity: (_name, cert) => tls.checkServerIdentity(host, cert),
      lookup: undefined,
    };
    return callback ? tlsConnect.call(this, rerouted, callback) : tlsConnect.call(this, rerouted);
  };

  // Plain HTTP to a routed host (port 80, or whatever the URL says) goes to the gateway's HTTP port.
  const netConnect = net.connect;
  const connect = function connect(...args) {
    const first = args[0];
    if (first && typeof first === "object" && !Array.isArray(first) && routed(first.host)) {
      args[0] = { ...first, host: "127.0.0.1", port: routing.httpPort, lookup: undefined };
    } else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
      if (routed(args[1])) {
        args[0] = routing.httpPort;
        args[1] = "127.0.0.1";
      }
    }
    return netConnect.apply(this, args);
  };
  net.connect = connect;
  net.createConnection = connect;
}

function tlsArgs(args) {
  let options = {};
  let callback;
  let i = 0;
  if (typeof args[i] === "number" || typeof args[i] === "string") {
    options.port = Number(args[i++]);
    if (typeof args[i] === "string") options.host = args[i++];
  }
  if (args[i] && typeof args[i] === "object") options = { ...args[i++], ...options };
  if (typeof args[i] === "function") callback = args[i];
  return { options, callback };
}
