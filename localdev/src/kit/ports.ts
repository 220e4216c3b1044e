// The one port table: which port each server of the kit takes. Fixed services first (base, base+1, ... in the
// order below), then every further server a stack needs (a second Function URL, distribution or bucket) from
// base+6 on, in the order the kit asks for them.

/** The services in port order: `--port 3000` puts the site on 3000, Cognito on 3001, and so on. */
export const SERVICES = ["site", "cognito", "ssm", "functionUrl", "cloudfront", "control"] as const;
export type Service = (typeof SERVICES)[number];

/** The port of `service` for a base port; 0 (ephemeral ports, in tests) stays 0. */
export function servicePort(basePort: number, service: Service): number {
  return basePort === 0 ? 0 : basePort + SERVICES.indexOf(service);
}

/** Hands out the ports past the fixed ones, stable per key for the life of the kit. */
export class PortTable {
  private readonly extras = new Map<string, number>();
  constructor(readonly basePort: number) {}

  fixed(service: Service): number {
    return servicePort(this.basePort, service);
  }

  /** The port for a further server named `key` (e.g. `cloudfront:<logicalId>`); 0 with ephemeral ports. */
  extra(key: string): number {
    if (this.basePort === 0) return 0;
    let port = this.extras.get(key);
    if (port === undefined) {
      port = this.basePort + SERVICES.length + this.extras.size;
      this.extras.set(key, port);
    }
    return port;
  }
}
