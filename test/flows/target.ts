// What a flow needs to know about the stack under test, whichever target runs it (embedded kit, LocalStack).

export interface FlowTarget {
  name: string;
  /** The site URL, which is also the app client's callback URL (with trailing slash). */
  siteUrl: string;
  /** The CloudFront URL the page posts to. */
  apiUrl: string;
  /** The Function URL, for the bypass flow. */
  functionUrl: string;
  /** The hosted UI base URL (user pool domain). */
  cognitoUrl: string;
  clientId: string;
  /** Invocations of the function so far, to prove a blocked request never reached it. */
  invocationCount(): Promise<number>;
  /** Moves the target's clock (codes expire after 5 minutes, rate windows after their span). */
  advanceTime?(ms: number): Promise<void> | void;
  /** A second app client of the same pool, for the "code of another client" case. */
  otherClient?: { clientId: string; redirectUri: string };
  /** The WAF rate limit of the stack (requests per window per IP). */
  rateLimit: number;
  /** True when the edge takes the viewer IP from X-Forwarded-For (the rate flow needs distinct clients). */
  trustsForwardedFor: boolean;
}
