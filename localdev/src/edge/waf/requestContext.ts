// Per-request view of a WafRequest for rule statements: parsed once, lazily, and shared by all rules.
import type { WafRequest } from "./types.js";

/** CloudFront web ACLs inspect the first 16 KB of the body by default (AssociationConfig can raise it). */
export const DEFAULT_BODY_INSPECTION_LIMIT = 16 * 1024;

export class RequestContext {
  readonly labels: string[] = [];
  private labelSet = new Set<string>();
  private queryArgs?: Array<[string, string]>;
  private cookieList?: Array<[string, string]>;
  private headerList?: Array<[string, string]>;
  private inspectedBody?: string;

  constructor(
    readonly req: WafRequest,
    readonly bodyLimit: number,
  ) {}

  addLabel(label: string): void {
    if (this.labelSet.has(label)) return;
    this.labelSet.add(label);
    this.labels.push(label);
  }

  hasLabel(predicate: (label: string) => boolean): boolean {
    for (const label of this.labels) if (predicate(label)) return true;
    return false;
  }

  /** A header's value; several values joined with ", " (the Host is the one the viewer used). */
  header(name: string): string | undefined {
    if (name === "host") return this.req.host;
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  }

  headers(): Array<[string, string]> {
    if (!this.headerList) {
      this.headerList = [];
      for (const [name, value] of Object.entries(this.req.headers)) {
        if (value === undefined) continue;
        if (name === "host") continue;
        for (const one of Array.isArray(value) ? value : [value]) this.headerList.push([name, one]);
      }
      this.headerList.push(["host", this.req.host]);
    }
    return this.headerList;
  }

  /** Raw (still URL-encoded) query arguments in order; transformations decode them when asked. */
  queryArguments(): Array<[string, string]> {
    if (!this.queryArgs) {
      this.queryArgs = [];
      if (this.req.queryString) {
        for (const pair of this.req.queryString.split("&")) {
          if (!pair) continue;
          const eq = pair.indexOf("=");
          this.queryArgs.push(eq < 0 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)]);
        }
      }
    }
    return this.queryArgs;
  }

  cookies(): Array<[string, string]> {
    if (!this.cookieList) {
      this.cookieList = [];
      const header = this.header("cookie");
      if (header) {
        for (const part of header.split(";")) {
          const eq = part.indexOf("=");
          const name = (eq < 0 ? part : part.slice(0, eq)).trim();
          if (name) this.cookieList.push([name, eq < 0 ? "" : part.slice(eq + 1).trim()]);
        }
      }
    }
    return this.cookieList;
  }

  bodyIsOversize(): boolean {
    return this.req.body.length > this.bodyLimit;
  }

  /** The inspected part of the body (the first `bodyLimit` bytes) as text. */
  body(): string {
    this.inspectedBody ??= this.req.body.subarray(0, this.bodyLimit).toString("utf8");
    return this.inspectedBody;
  }

  /** Size WAF sees for the body: the inspected part only. */
  bodySize(): number {
    return Math.min(this.req.body.length, this.bodyLimit);
  }
}
