// Finds a Docker engine in well under a second, without importing testcontainers (which can hang without one).
import { existsSync } from "node:fs";
import { request } from "node:http";
import { homedir } from "node:os";
import { join } from "node:path";

export type DockerProbe = { available: true; endpoint: string } | { available: false; reason: string };

/** Where Docker and its look-alikes put their socket, in the order testcontainers tries them. */
function candidateSockets(): string[] {
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  return [
    "/var/run/docker.sock",
    ...(runtimeDir ? [join(runtimeDir, "docker.sock"), join(runtimeDir, "podman/podman.sock")] : []),
    join(homedir(), ".docker/run/docker.sock"),
    join(homedir(), ".docker/desktop/docker.sock"),
    join(homedir(), ".colima/default/docker.sock"),
    join(homedir(), ".rd/docker.sock"),
  ];
}

/** GET /_ping on a socket or TCP endpoint; true on "OK". */
function ping(
  target: { socketPath: string } | { host: string; port: number },
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ ...target, path: "/_ping", method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** Asks the engine named by DOCKER_HOST or the usual sockets whether it answers. */
export async function probeDockerEngine(timeoutMs = 500): Promise<DockerProbe> {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost) {
    if (dockerHost.startsWith("unix://")) {
      const socketPath = dockerHost.slice("unix://".length);
      return (await ping({ socketPath }, timeoutMs))
        ? { available: true, endpoint: dockerHost }
        : { available: false, reason: `DOCKER_HOST=${dockerHost} does not answer /_ping` };
    }
    const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
    return (await ping({ host: url.hostname, port: Number(url.port || 2375) }, timeoutMs))
      ? { available: true, endpoint: dockerHost }
      : { available: false, reason: `DOCKER_HOST=${dockerHost} does not answer /_ping` };
  }
  const sockets = candidateSockets().filter((path) => existsSync(path));
  for (const socketPath of sockets) {
    if (await ping({ socketPath }, timeoutMs)) return { available: true, endpoint: `unix://${socketPath}` };
  }
  return {
    available: false,
    reason: sockets.length
      ? `no Docker engine answers on ${sockets.join(", ")}`
      : "no Docker engine (DOCKER_HOST unset and no Docker socket found; the docker CLI alone is not enough)",
  };
}
