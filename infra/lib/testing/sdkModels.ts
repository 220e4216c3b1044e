// Checks AWS API calls against the AWS SDK v3's own models: each command class carries its operation's
// schema (smithy static schemas, `command.schema`), from which input members, their types and the
// required ones are read. Used by the deploy rehearsal on the calls our custom resources and scripts make.
import { NormalizedSchema } from "@smithy/core/schema";

// biome-ignore lint/suspicious/noExplicitAny: SDK inputs are checked at run time here.
type Json = any;

/** What an SDK v3 command instance exposes: its input and its operation schema [9, ns, name, traits, in, out]. */
export interface SdkCommand {
  input: unknown;
  schema?: unknown;
}

function operation(command: SdkCommand): { name: string; input: NormalizedSchema; output: NormalizedSchema } {
  const schema = command.schema as [number, string, string, unknown, unknown, unknown] | undefined;
  if (!Array.isArray(schema) || schema[0] !== 9)
    throw new Error("not an AWS SDK v3 command (no operation schema)");
  return {
    name: schema[2],
    input: NormalizedSchema.of(schema[4] as never),
    output: NormalizedSchema.of(schema[5] as never),
  };
}

/** Members a structure requires: static structure schemas list them first and count them in slot 6. */
function requiredMembers(struct: NormalizedSchema): string[] {
  const raw = struct.getSchema() as unknown as [
    number,
    string,
    string,
    unknown,
    string[],
    unknown[],
    number?,
  ];
  return raw[4].slice(0, raw[6] ?? 0);
}

function checkValue(value: Json, schema: NormalizedSchema, at: string, problems: string[]): void {
  const wrong = (what: string) =>
    problems.push(`${at}: ${JSON.stringify(value)?.slice(0, 60)} is not ${what}`);
  if (value === undefined) return;
  if (schema.isStructSchema()) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      wrong("a structure");
      return;
    }
    const members = schema.getMemberSchemas();
    for (const name of requiredMembers(schema)) {
      if (value[name] === undefined) problems.push(`${at}: required member ${name} is missing`);
    }
    for (const [name, inner] of Object.entries(value)) {
      const member = members[name];
      if (!member) problems.push(`${at}: ${schema.getName()} has no member ${name}`);
      else checkValue(inner, member, `${at}.${name}`, problems);
    }
  } else if (schema.isListSchema()) {
    if (!Array.isArray(value)) {
      wrong("a list");
      return;
    }
    value.forEach((item, i) => {
      checkValue(item, schema.getValueSchema(), `${at}[${i}]`, problems);
    });
  } else if (schema.isMapSchema()) {
    if (typeof value !== "object" || value === null) {
      wrong("a map");
      return;
    }
    for (const [key, item] of Object.entries(value))
      checkValue(item, schema.getValueSchema(), `${at}.${key}`, problems);
  } else if (schema.isStringSchema()) {
    if (typeof value !== "string") wrong("a string");
  } else if (schema.isNumericSchema()) {
    if (typeof value !== "number") wrong("a number");
  } else if (schema.isBooleanSchema()) {
    if (typeof value !== "boolean") wrong("a boolean");
  } else if (schema.isTimestampSchema()) {
    if (!(value instanceof Date)) wrong("a Date");
  } else if (schema.isBlobSchema()) {
    if (!(value instanceof Uint8Array) && typeof value !== "string") wrong("bytes");
  }
}

/** Problems with one call's input (empty: the operation accepts it). */
export function validateSdkInput(command: SdkCommand): string[] {
  const { name, input } = operation(command);
  const problems: string[] = [];
  checkValue(command.input, input, name, problems);
  return problems;
}

/** Whether the operation's output has the member path our code reads, e.g. ["UserPoolClient", "ClientSecret"]. */
export function outputHasMember(command: SdkCommand, path: string[]): boolean {
  let schema = operation(command).output;
  for (const name of path) {
    const member = schema.isStructSchema() ? schema.getMemberSchemas()[name] : undefined;
    if (!member) return false;
    schema = member;
  }
  return true;
}
