// Reads the README's "Try it locally" section: its numbered steps, the labels, texts and commands they name.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { KitEndpoints } from "../../localdev/src/index.js";
import { SERVICES } from "../../localdev/src/index.js";
import { repoRoot } from "../integration/kitTarget.js";

export interface ReadmeStep {
  number: number;
  title: string;
  /** The step's prose, joined into one line (pictures left out). */
  text: string;
}

/** The README's port for each service: `--port 3000` puts the site on 3000, control on 3005. */
const README_BASE_PORT = 3000;

export class ReadmeSection {
  readonly steps: ReadmeStep[];

  constructor(readonly markdown: string) {
    this.steps = [];
    for (const line of markdown.split("\n")) {
      const head = /^(\d+)\. \*\*(.+?)\*\*:\s*(.*)$/.exec(line);
      if (head) this.steps.push({ number: Number(head[1]), title: head[2]!, text: head[3]! });
      else if (/^ {3}\S/.test(line) && !/^\s*<img|^\s*!\[/.test(line) && this.steps.length)
        this.steps.at(-1)!.text += ` ${line.trim()}`;
    }
  }

  /** The `npm start` line of the section's first code block, as flags (`npm install && npm start` -> []). */
  startFlags(): string[] {
    const block = /```bash\n([\s\S]*?)```/.exec(this.markdown)?.[1] ?? "";
    return flagsOf(block);
  }

  step(title: string): ReadmeStep {
    const found = this.steps.find((s) => s.title === title);
    if (!found) throw new Error(`The README's "Try it locally" has no step "${title}"`);
    return found;
  }
}

/** Reads the section from README.md. */
export function readmeTryItLocally(): ReadmeSection {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const start = readme.indexOf("## Try it locally");
  if (start < 0) throw new Error('README.md has no "## Try it locally" section');
  const end = readme.indexOf("\n## ", start + 3);
  return new ReadmeSection(readme.slice(start, end < 0 ? undefined : end));
}

/** The *emphasized* phrases of a step: the buttons, links and texts a person looks for. */
export function emphasized(step: ReadmeStep): string[] {
  return [...step.text.matchAll(/(?<!\*)\*([^*]+)\*(?!\*)/g)].map((m) => m[1]!);
}

/** The emphasized phrase matching `pattern`; fails when the README no longer says it. */
export function said(step: ReadmeStep, pattern: RegExp | string): string {
  const phrase = emphasized(step).find((p) =>
    typeof pattern === "string" ? p === pattern : pattern.test(p),
  );
  if (phrase === undefined)
    throw new Error(`README step ${step.number} does not say *${pattern}*: ${step.text}`);
  return phrase;
}

/** The `code` spans of a step matching `pattern` (commands and URLs). */
export function code(step: ReadmeStep, pattern: RegExp): string {
  const found = [...step.text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).find((c) => pattern.test(c));
  if (found === undefined) throw new Error(`README step ${step.number} has no \`${pattern}\`: ${step.text}`);
  return found;
}

/** Flags after `npm start --` in a command line (none for a bare `npm start`). */
export function flagsOf(command: string): string[] {
  const match = /npm start(?: -- (.*))?$/m.exec(command.trim());
  if (!match) throw new Error(`Not an npm start command: ${command}`);
  return (match[1] ?? "").split(/\s+/).filter(Boolean);
}

/** A README URL on 127.0.0.1:300N, pointed at the same service of the running kit (its ports are free ones). */
export function onKit(readmeUrl: string, endpoints: KitEndpoints): string {
  const url = new URL(readmeUrl);
  const service = SERVICES[Number(url.port) - README_BASE_PORT];
  const bases: Record<(typeof SERVICES)[number], string> = {
    site: endpoints.site,
    cognito: endpoints.cognitoDomain,
    ssm: endpoints.ssm,
    functionUrl: endpoints.functionUrl,
    cloudfront: endpoints.cloudfront,
    control: endpoints.control,
  };
  if (!service) throw new Error(`${readmeUrl} is not on one of the README's ports`);
  return new URL(`${url.pathname}${url.search}`, bases[service]).toString();
}
