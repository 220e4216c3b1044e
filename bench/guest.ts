// The guest flow under load: POST {} through CloudFront and WAF to the function, from ever new viewer addresses.
import type { KitEndpoints } from "../localdev/src/index.js";
import { type LoadResult, load, withHelloProcess } from "./load.js";

/**
 * Runs of the guest flow against one kit. Distinct viewer IPs keep the per-IP rate rule out of the way, as many
 * real viewers would. Each run takes fresh addresses from 198.18.0.0/15, since every autocannon run starts its
 * request list from the top. autocannon prebuilds the list for each connection inside the measured time, so it
 * stays short: a run sends each address about (req/s x seconds / 1024) times, far below the rule's 100.
 */
export function guestFlow(endpoints: KitEndpoints) {
  let nextViewer = 0;
  const viewerIp = () => {
    const n = nextViewer++ % 131_072;
    return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  };
  const headers = { "content-type": "application/json", origin: new URL(endpoints.site).origin };
  // The guest flow answers 401; anything else (a 403 from the rate rule) would make the figure meaningless.
  const onlyGuestAnswers = (result: LoadResult) => {
    const other = Object.entries(result.statusCodes).filter(([code]) => code !== "401");
    if (other.length) throw new Error(`guest load got other answers than 401: ${JSON.stringify(other)}`);
    return result;
  };
  return {
    viewerIp,
    headers,
    run: (connections: number, durationSeconds: number) =>
      load({
        url: endpoints.cloudfront,
        method: "POST",
        body: "{}",
        connections,
        durationSeconds,
        requests: Array.from({ length: 1024 }, () => ({
          headers: { ...headers, "x-forwarded-for": viewerIp() },
        })),
      }).then(onlyGuestAnswers),
  };
}

/** A hello-world server in its own process, warmed up (as the kit is) before `seconds` are measured. */
export function helloCeiling(root: string, kind: "node" | "express", seconds: number): Promise<LoadResult> {
  return withHelloProcess(root, kind, async (url) => {
    await load({ url, connections: 10, durationSeconds: 2 });
    return load({ url, connections: 10, durationSeconds: seconds });
  });
}
