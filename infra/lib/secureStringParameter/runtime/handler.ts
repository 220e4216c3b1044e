// Lambda entry of the Custom::SecureStringParameter provider (bundled at synth time by esbuild).
import type { CloudFormationCustomResourceEvent, Context } from "aws-lambda";
import { awsDeps } from "./awsDeps.js";
import { type Outcome, sendResponse } from "./cfnResponse.js";
import { onEvent, type SecureStringDeps } from "./onEvent.js";

/** Leaves time to report FAILED before Lambda kills us (a missing response stalls the stack for an hour). */
const RESPONSE_MARGIN_MS = 5_000;

/**
 * Runs the event and always answers CloudFormation, with SUCCESS or FAILED.
 * Logs only the request type, logical id and outcome: never the value, never the pre-signed URL.
 */
export async function runEvent(
  event: CloudFormationCustomResourceEvent,
  deps: SecureStringDeps,
  timeBudgetMs: number,
  send: (event: CloudFormationCustomResourceEvent, outcome: Outcome) => Promise<void> = sendResponse,
): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("Timed out reading or writing the secret")), timeBudgetMs);
  });
  let outcome: Outcome;
  try {
    const result = await Promise.race([onEvent(event, deps), deadline]);
    outcome = { status: "SUCCESS", physicalResourceId: result.physicalResourceId };
  } catch (error) {
    const err = error as Error;
    outcome = { status: "FAILED", reason: `${err.name}: ${err.message}` };
  } finally {
    clearTimeout(timer);
  }
  console.log(
    JSON.stringify({
      requestType: event.RequestType,
      logicalResourceId: event.LogicalResourceId,
      status: outcome.status,
      reason: outcome.status === "FAILED" ? outcome.reason : undefined,
    }),
  );
  await send(event, outcome);
  return outcome;
}

export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  await runEvent(event, awsDeps(), Math.max(1_000, context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS));
}
