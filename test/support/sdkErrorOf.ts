// Test support: what an AWS SDK call's failure looks like to a caller (error name, message, HTTP status).

/** Awaits `promise`, which must fail, and returns the SDK error's name, message and HTTP status. */
export async function sdkErrorOf(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}
