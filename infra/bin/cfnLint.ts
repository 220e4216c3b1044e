// `npm run lint:cfn`: cfn-lint over both targets' synthesized templates (aws, and -c target=localstack).
// Fails on any error or warning, except the one CDK itself writes into every lambda.Function, named below.
// Where cfn-lint is not installed it says so in one line and exits 0.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { STACK_NAME } from "../lib/constants.js";
import { SAMPLE_LOCAL_IDENTITY } from "../lib/testing/synthStack.js";

interface Finding {
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[] };
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped.
type Template = { Resources: Record<string, any> };

const ROOT = resolve(import.meta.dirname, "../..");

const TARGETS: Record<string, string[]> = {
  aws: [],
  localstack: ["-c", "target=localstack", "-c", `localIdentity=${JSON.stringify(SAMPLE_LOCAL_IDENTITY)}`],
};

/**
 * W3005 on a function's DependsOn its own execution role: lambda.Function adds it (with the role's default
 * policy) so the role exists first, and CloudFormation would order them by the Role GetAtt anyway. Harmless.
 */
export function isCdkRoleDependency(finding: Finding, template: Template): boolean {
  if (finding.Rule.Id !== "W3005") return false;
  const [section, functionId, key] = finding.Location.Path;
  const fn = section === "Resources" ? template.Resources[String(functionId)] : undefined;
  if (fn?.Type !== "AWS::Lambda::Function" || key !== "DependsOn") return false;
  const roleId = fn.Properties?.Role?.["Fn::GetAtt"]?.[0];
  return Boolean(roleId) && finding.Message.startsWith(`'${roleId}' dependency already enforced`);
}

function synth(target: string): string {
  const outdir = mkdtempSync(join(tmpdir(), `furl-kit-cfn-lint-${target}-`));
  const cdk = join(ROOT, "node_modules", ".bin", "cdk");
  const result = spawnSync(cdk, ["synth", "--quiet", "--output", outdir, ...(TARGETS[target] ?? [])], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`cdk synth (${target}) failed:\n${result.stderr}`);
  return join(outdir, `${STACK_NAME}.template.json`);
}

function lint(templateFile: string): Finding[] {
  const result = spawnSync("cfn-lint", ["--format", "json", templateFile], { encoding: "utf8" });
  // cfn-lint exits non-zero when it finds something; only unreadable output is a failure of the tool.
  try {
    return JSON.parse(result.stdout || "[]") as Finding[];
  } catch {
    throw new Error(`cfn-lint gave no JSON report for ${templateFile}:\n${result.stderr}`);
  }
}

function main(): number {
  const version = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) {
    console.log("cfn-lint: skipped, cfn-lint is not installed (pip install cfn-lint)");
    return 0;
  }
  let failed = 0;
  for (const target of Object.keys(TARGETS)) {
    const file = synth(target);
    const template = JSON.parse(readFileSync(file, "utf8")) as Template;
    const findings = lint(file);
    const ours = findings.filter((finding) => !isCdkRoleDependency(finding, template));
    const cdks = findings.length - ours.length;
    for (const finding of ours) {
      console.log(`${target}: ${finding.Rule.Id} ${finding.Location.Path.join("/")}: ${finding.Message}`);
    }
    console.log(
      `cfn-lint (${version.stdout.trim()}) ${target}: ${ours.length} finding(s)` +
        (cdks
          ? `; ${cdks} W3005 on a function's DependsOn its own role, written by CDK's lambda.Function`
          : ""),
    );
    failed += ours.length;
  }
  return failed ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exitCode = main();
