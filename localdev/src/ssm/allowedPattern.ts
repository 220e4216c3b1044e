// PutParameter's AllowedPattern, evaluated on a linear-time engine (RE2) so no pattern can stall the kit.
import { RE2JS } from "re2js";
import { NotEmulatedError } from "../shared/awsError.js";
import { ValidationError } from "./errors.js";

// The API's limit for AllowedPattern (PutParameterRequest.AllowedPattern: length 0 to 1024).
const MAX_PATTERN_LENGTH = 1024;
/**
 * RE2 runs in time proportional to program size times input length. A counted repetition such as
 * `(a?){1000}a{1000}` compiles to thousands of instructions, so even linear time can hold the event loop
 * for a second on a 4 KB value; beyond this product the kit refuses the pattern instead (about 50 ms here).
 */
const MAX_WORK = 1_000_000;

/** Tests `value` against `pattern` the way RegExp#test does (a match anywhere unless anchored). */
export function matchesAllowedPattern(pattern: string, value: string): boolean {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new ValidationError(
      "1 validation error detected: Value at 'allowedPattern' failed to satisfy constraint: " +
        `Member must have length less than or equal to ${MAX_PATTERN_LENGTH}`,
    );
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch {
    // Also what backreferences and lookarounds get: RE2 has neither.
    throw new ValidationError(`AllowedPattern ${pattern} is not a valid regular expression.`);
  }
  if (programSize(compiled, pattern) * Math.max(value.length, 1) > MAX_WORK) {
    throw new NotEmulatedError(
      "An AllowedPattern this large for a value this long (the kit evaluates patterns on RE2 within a fixed budget)",
    );
  }
  return compiled.matcher(value).find();
}

// re2js does not document its compiled program; read its size where it is, else assume the worst per character.
function programSize(compiled: RE2JS, pattern: string): number {
  const prog = (compiled as unknown as { re2Input?: { prog?: { numInst?: () => number } } }).re2Input?.prog;
  const size = typeof prog?.numInst === "function" ? prog.numInst() : undefined;
  return typeof size === "number" && Number.isFinite(size) ? size : pattern.length * 1000;
}
