// Reports a custom resource's outcome to CloudFormation through the pre-signed ResponseURL.
import type { CloudFormationCustomResourceEvent } from "aws-lambda";
import { FAILED_CREATE_ID_PREFIX } from "./onEvent.js";

export type Outcome =
  | { status: "SUCCESS"; physicalResourceId: string }
  | { status: "FAILED"; reason: string };

/** CloudFormation stores Reason in stack events; keep it short and free of values. */
const MAX_REASON_LENGTH = 500;

/**
 * The response document CloudFormation expects. Data stays empty: the secret never travels back.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
export function responseBody(event: CloudFormationCustomResourceEvent, outcome: Outcome): string {
  const fallbackId =
    "PhysicalResourceId" in event ? event.PhysicalResourceId : `${FAILED_CREATE_ID_PREFIX}${event.RequestId}`;
  return JSON.stringify({
    Status: outcome.status,
    Reason: outcome.status === "FAILED" ? outcome.reason.slice(0, MAX_REASON_LENGTH) : undefined,
    PhysicalResourceId: outcome.status === "SUCCESS" ? outcome.physicalResourceId : fallbackId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: true,
    Data: {},
  });
}

/**
 * PUTs the response; the pre-signed URL is signed without a content type, so send an empty one.
 * @throws when CloudFormation does not accept the response (the stack would wait for a timeout).
 */
export async function sendResponse(
  event: CloudFormationCustomResourceEvent,
  outcome: Outcome,
  fetchFn: typeof fetch = fetch,
): Promise<void> {
  const body = responseBody(event, outcome);
  const res = await fetchFn(event.ResponseURL, {
    method: "PUT",
    headers: { "content-type": "", "content-length": String(Buffer.byteLength(body)) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`CloudFormation refused the response: HTTP ${res.status}`);
}
