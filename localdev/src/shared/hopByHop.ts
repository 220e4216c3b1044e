// The hop-by-hop headers (RFC 9110 7.6.1, plus the legacy Proxy-Connection): a proxy never passes them on.
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  "connection",
  "keep-alive",
  "transfer-encoding",
  "proxy-connection",
  "upgrade",
  "trailer",
  "te",
];

/** Deletes the hop-by-hop headers from a lower-cased header object, in place; returns it. */
export function withoutHopByHop<T extends Record<string, unknown>>(headers: T): T {
  for (const name of HOP_BY_HOP_HEADERS) delete headers[name];
  return headers;
}
