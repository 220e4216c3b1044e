// Maps the AWS endpoints a template names (hosted UI domain, Function URL, distribution, site) to local URLs.

/** Local base URLs of the kit's servers, without trailing slash. */
export interface LocalUrls {
  site: string;
  cognito: string;
  ssm: string;
  functionUrl: string;
  cloudfront: string;
  control: string;
}

/**
 * A table from AWS host names to the local server standing in for them. Every resolved value passes
 * through `rewrite`, so a callback URL `https://main.<app>.amplifyapp.com/` becomes `http://127.0.0.1:3000/`
 * without any value being typed twice.
 */
export class EndpointMap {
  private readonly hosts = new Map<string, string>();

  add(awsHost: string, localUrl: string): void {
    this.hosts.set(awsHost.toLowerCase(), localUrl.replace(/\/$/, ""));
  }

  /** The local base URL standing in for `awsHost`, if any. */
  localFor(awsHost: string): string | undefined {
    return this.hosts.get(awsHost.toLowerCase());
  }

  entries(): [string, string][] {
    return [...this.hosts.entries()];
  }

  /** Replaces `https://<awsHost>` (plain or percent-encoded) with the local URL. */
  rewrite(text: string): string {
    if (!text.includes("https")) return text;
    let out = text;
    for (const [host, local] of this.hosts) {
      out = out.split(`https://${host}`).join(local);
      out = out.split(`https%3A%2F%2F${host}`).join(encodeURIComponent(local));
    }
    return out;
  }

  /** `rewrite` applied to every string in a JSON value. */
  rewriteDeep<T>(value: T): T {
    if (typeof value === "string") return this.rewrite(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.rewriteDeep(item)) as T;
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.rewriteDeep(v)]),
      ) as T;
    }
    return value;
  }
}
