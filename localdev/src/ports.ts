// Which port each service of `npm start` takes: base, base+1, ... in this order.

/** The services in port order: `--port 3000` puts the site on 3000, Cognito on 3001, and so on. */
export const SERVICES = ["site", "cognito", "ssm", "functionUrl", "cloudfront", "control"] as const;
export type Service = (typeof SERVICES)[number];

/** The port of `service` for a base port; 0 (ephemeral ports, in tests) stays 0. */
export function servicePort(basePort: number, service: Service): number {
  return basePort === 0 ? 0 : basePort + SERVICES.indexOf(service);
}
