// The context in cdk.json (feature flags and settings), for apps built outside the CDK CLI (tests).
import { readFileSync } from "node:fs";

const CDK_JSON = new URL("../../cdk.json", import.meta.url);

/** cdk.json's "context" object, as the CDK CLI would pass it to the app. */
export function cdkJsonContext(): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(CDK_JSON, "utf8")) as { context?: Record<string, unknown> };
  return parsed.context ?? {};
}
