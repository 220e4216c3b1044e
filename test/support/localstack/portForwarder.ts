// Where Testcontainers' SSH port forwarder (testcontainers/sshd) sits, so LocalStack's Lambda containers can
// join its network and reach host ports through it as host.testcontainers.internal.

/** The part of `docker ps` (dockerode's ContainerInfo) this needs. */
export interface ListedContainer {
  Labels: Record<string, string>;
  State: string;
  NetworkSettings: { Networks: Record<string, { IPAddress?: string }> };
}

/** testcontainers' labels for its port forwarder and its session (utils/labels.js, 11.x). */
const SSHD_LABEL = "org.testcontainers.sshd";
const SESSION_LABEL = "org.testcontainers.session-id";

/**
 * The running forwarder of this Testcontainers session: its network name and address there.
 * @throws Error naming what is missing
 */
export function portForwarderAddress(
  containers: ListedContainer[],
  sessionId: string,
): { network: string; address: string } {
  const sshd = containers.find(
    (c) => c.State === "running" && c.Labels[SSHD_LABEL] === "true" && c.Labels[SESSION_LABEL] === sessionId,
  );
  if (!sshd) throw new Error(`no running Testcontainers port forwarder for session ${sessionId}`);
  const [network, settings] = Object.entries(sshd.NetworkSettings.Networks)[0] ?? [];
  if (!network || !settings?.IPAddress)
    throw new Error("Testcontainers' port forwarder has no network address");
  return { network, address: settings.IPAddress };
}
