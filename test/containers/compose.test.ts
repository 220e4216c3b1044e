// docker-compose.yml against the current Compose specification (dclint, offline) and the wiring LocalStack needs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const composeFile = join(root, "docker-compose.yml");
const dclint = join(root, "node_modules", ".bin", "dclint");

interface DclintReport {
  filePath: string;
  errorCount: number;
  warningCount: number;
  messages: { rule: string; message: string; type: string }[];
}

/** Runs dclint with its JSON formatter; the exit code is non-zero when it finds an error. */
function lint(file: string): { status: number | null; reports: DclintReport[] } {
  const run = spawnSync(dclint, [file, "--formatter", "json"], { encoding: "utf8", timeout: 60_000 });
  const start = run.stdout.indexOf("[");
  return { status: run.status, reports: start === -1 ? [] : JSON.parse(run.stdout.slice(start)) };
}

describe("docker-compose.yml", () => {
  const text = readFileSync(composeFile, "utf8");

  it("passes dclint (the Compose specification and its rules) without errors or warnings", () => {
    const { status, reports } = lint(composeFile);
    expect(reports.flatMap((r) => r.messages)).toEqual([]);
    expect(status).toBe(0);
  });

  it("makes dclint fail on a broken file (the check above can fail)", () => {
    const dir = mkdtempSync(join(tmpdir(), "furl-kit-compose-"));
    try {
      const broken = join(dir, "docker-compose.yml");
      writeFileSync(broken, "services:\n  app:\n    image: node:24\n    build: .\n");
      const { status, reports } = lint(broken);
      expect(status).not.toBe(0);
      expect(reports[0]?.errorCount).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("pins LocalStack 4.14.0 (the last tag without an auth token), overridable with a token for newer images", () => {
    // Compose interpolation syntax, not JavaScript template literals.
    expect(text).toContain("image: $" + "{LOCALSTACK_IMAGE:-localstack/localstack:4.14.0}");
    expect(text).toContain("LOCALSTACK_AUTH_TOKEN: $" + "{LOCALSTACK_AUTH_TOKEN:-}");
  });

  it("gives LocalStack the Docker socket, the site's CORS origin, a health check and the kit's network", () => {
    expect(text).toContain("- /var/run/docker.sock:/var/run/docker.sock");
    // Both names of the published site pass LocalStack's CORS guard (anything else gets an empty 403).
    expect(text).toContain("EXTRA_CORS_ALLOWED_ORIGINS: http://localhost:3000,http://127.0.0.1:3000");
    // An unsupported resource type fails the deploy instead of becoming an "unknown" placeholder.
    expect(text).toContain('CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: "0"');
    expect(text).toMatch(/http:\/\/localhost:4566\/_localstack\/health/);
    const network = /LAMBDA_DOCKER_NETWORK: (\S+)/.exec(text)?.[1];
    expect(text).toMatch(new RegExp(`networks:\\n  default:\\n    name: ${network}\\n`));
  });

  it("runs the kit only after a one-shot deploy that waited for a healthy LocalStack", () => {
    expect(text).toMatch(/deploy:[\s\S]*?localstack:\n\s+condition: service_healthy/);
    expect(text).toMatch(/furl-kit:[\s\S]*?deploy:\n\s+condition: service_completed_successfully/);
    expect(text).toContain('command: [ "npx", "tsx", "localdev/src/localstack/deploy.ts" ]');
    expect(text).toContain('command: [ "npx", "tsx", "localdev/src/localstack/cli.ts" ]');
  });

  it("builds the kit from the official node:24 (LTS) image only", () => {
    const froms = readFileSync(join(root, "Dockerfile"), "utf8").match(/^FROM .+$/gm);
    expect(froms).toEqual(["FROM node:24-bookworm-slim"]);
  });
});
