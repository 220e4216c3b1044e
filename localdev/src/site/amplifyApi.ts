// Amplify Hosting's API (rest-json, signing name "amplify") as stacks call it at deploy time: GetApp, UpdateApp,
// GetBranch, StartJob, StartDeployment from a bucket prefix, GetJob. A deployment tells the site server what the
// branch serves. Shapes and errors: botocore amplify/2017-07-25/service-2.json (see shared reference §4).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../shared/readBody.js";

export interface LocalAmplifyApp {
  appId: string;
  name: string;
  arn: string;
  defaultDomain: string;
  platform: string;
  environmentVariables: Record<string, string>;
  branches: { branchName: string; stage: string; environmentVariables: Record<string, string> }[];
}

/** A branch's source after StartDeployment: a bucket and key prefix. */
export interface AmplifyDeployment {
  appId: string;
  branchName: string;
  bucket: string;
  prefix: string;
  jobId: string;
}

interface Job {
  summary: Record<string, unknown>;
}

class AmplifyError extends Error {
  constructor(
    readonly code: "BadRequestException" | "NotFoundException" | "NotEmulated",
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 1024 * 1024;
const epoch = (ms: number) => ms / 1000;

export interface AmplifyApi {
  handler(req: IncomingMessage, res: ServerResponse): Promise<void>;
  reconfigure(apps: LocalAmplifyApp[]): void;
}

/**
 * @param deploy called for each StartDeployment with a bucket source; throws (as a BadRequest message) when the
 * bucket is not one the kit serves
 */
export function createAmplifyApi(options: { deploy(deployment: AmplifyDeployment): void }): AmplifyApi {
  let apps = new Map<string, LocalAmplifyApp>();
  const updates = new Map<string, Partial<LocalAmplifyApp>>();
  const jobs = new Map<string, Job[]>();
  const created = Date.now();

  const appOf = (appId: string) => {
    const app = apps.get(appId);
    if (!app) throw new AmplifyError("NotFoundException", 404, `App ${appId} not found.`);
    return { ...app, ...updates.get(appId) };
  };
  const branchOf = (appId: string, branchName: string) => {
    const app = appOf(appId);
    const branch = app.branches.find((b) => b.branchName === branchName);
    if (!branch)
      throw new AmplifyError("NotFoundException", 404, `Branch ${branchName} not found for app ${appId}.`);
    return { app, branch };
  };
  const appBody = (app: LocalAmplifyApp) => ({
    appId: app.appId,
    appArn: app.arn,
    name: app.name,
    description: "",
    repository: "",
    platform: app.platform,
    createTime: epoch(created),
    updateTime: epoch(Date.now()),
    environmentVariables: app.environmentVariables,
    defaultDomain: app.defaultDomain,
    enableBranchAutoBuild: false,
    enableBasicAuth: false,
  });
  const branchBody = (app: LocalAmplifyApp, branch: LocalAmplifyApp["branches"][number]) => {
    const list = jobs.get(`${app.appId}/${branch.branchName}`) ?? [];
    return {
      branchArn: `${app.arn}/branches/${branch.branchName}`,
      branchName: branch.branchName,
      description: "",
      stage: branch.stage,
      displayName: branch.branchName,
      enableNotification: false,
      createTime: epoch(created),
      updateTime: epoch(Date.now()),
      environmentVariables: branch.environmentVariables,
      enableAutoBuild: false,
      customDomains: [],
      framework: "",
      activeJobId: String(list.at(-1)?.summary.jobId ?? ""),
      totalNumberOfJobs: String(list.length),
      enableBasicAuth: false,
      ttl: "5",
      enablePullRequestPreview: false,
    };
  };
  const addJob = (appId: string, branchName: string, fields: Record<string, unknown>) => {
    const key = `${appId}/${branchName}`;
    const list = jobs.get(key) ?? [];
    const jobId = String(list.length + 1);
    const now = epoch(Date.now());
    const summary = {
      jobArn: `${apps.get(appId)!.arn}/branches/${branchName}/jobs/${jobId.padStart(10, "0")}`,
      jobId,
      commitId: fields.commitId ?? "",
      commitMessage: fields.commitMessage ?? "",
      commitTime: now,
      startTime: now,
      endTime: now,
      status: "SUCCEED",
      jobType: fields.jobType,
      ...(fields.sourceUrl ? { sourceUrl: fields.sourceUrl, sourceUrlType: fields.sourceUrlType } : {}),
    };
    list.push({ summary });
    jobs.set(key, list);
    return summary;
  };

  const route = async (method: string, path: string[], body: () => Promise<Record<string, unknown>>) => {
    const [root, appId, branches, branchName, kind, jobId, start] = path;
    if (root !== "apps" || !appId) return undefined;
    if (path.length === 2 && method === "GET") return { app: appBody(appOf(appId)) };
    if (path.length === 2 && method === "POST") {
      const request = await body();
      const app = appOf(appId);
      const next: Partial<LocalAmplifyApp> = { ...updates.get(appId) };
      if (request.environmentVariables !== undefined) {
        if (!isStringMap(request.environmentVariables))
          throw new AmplifyError("BadRequestException", 400, "environmentVariables must be a map of strings");
        // Replaces the map (whether Amplify merges is UNCONFIRMED; the CLI documents a replace).
        next.environmentVariables = request.environmentVariables;
      }
      if (typeof request.name === "string") next.name = request.name;
      if (typeof request.platform === "string") next.platform = request.platform;
      updates.set(appId, next);
      return { app: appBody({ ...app, ...next }) };
    }
    if (branches !== "branches" || !branchName) return undefined;
    const { app, branch } = branchOf(appId, branchName);
    if (path.length === 4 && method === "GET") return { branch: branchBody(app, branch) };
    if (kind === "jobs" && path.length === 5 && method === "POST") {
      const request = await body();
      const jobType = request.jobType;
      if (!["RELEASE", "RETRY", "MANUAL", "WEB_HOOK"].includes(String(jobType)))
        throw new AmplifyError(
          "BadRequestException",
          400,
          "jobType must be RELEASE, RETRY, MANUAL or WEB_HOOK",
        );
      if (jobType === "RELEASE" || jobType === "WEB_HOOK")
        throw new AmplifyError(
          "BadRequestException",
          400,
          `A ${jobType} job needs an app connected to a repository; ${appId} has none (deploy with StartDeployment)`,
        );
      return { jobSummary: addJob(appId, branchName, request) };
    }
    if (kind === "jobs" && jobId && path.length === 6 && method === "GET") {
      const job = (jobs.get(`${appId}/${branchName}`) ?? []).find((j) => j.summary.jobId === jobId);
      if (!job) throw new AmplifyError("NotFoundException", 404, `Job ${jobId} not found.`);
      return { job: { summary: job.summary, steps: [] } };
    }
    if (kind === "deployments" && jobId === "start" && !start && method === "POST") {
      const request = await body();
      const sourceUrl = request.sourceUrl;
      if (typeof sourceUrl !== "string")
        throw new AmplifyError(
          "NotEmulated",
          501,
          "StartDeployment from a CreateDeployment jobId (zip upload) is not emulated by furl-kit; use sourceUrl",
        );
      const type = request.sourceUrlType ?? "ZIP";
      const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(sourceUrl);
      if (type !== "BUCKET_PREFIX" || !match)
        throw new AmplifyError(
          type === "BUCKET_PREFIX" ? "BadRequestException" : "NotEmulated",
          type === "BUCKET_PREFIX" ? 400 : 501,
          type === "BUCKET_PREFIX"
            ? `sourceUrl must be s3://<bucket>/<prefix>, got ${sourceUrl}`
            : `StartDeployment with sourceUrlType ${String(type)} is not emulated by furl-kit (BUCKET_PREFIX is)`,
        );
      const summary = addJob(appId, branchName, { jobType: "MANUAL", sourceUrl, sourceUrlType: type });
      try {
        options.deploy({
          appId,
          branchName,
          bucket: match[1]!,
          prefix: match[2] ?? "",
          jobId: summary.jobId,
        });
      } catch (error) {
        summary.status = "FAILED";
        throw new AmplifyError("BadRequestException", 400, (error as Error).message);
      }
      return { jobSummary: summary };
    }
    return undefined;
  };

  return {
    async handler(req, res) {
      const url = new URL(req.url ?? "/", "http://amplify.local");
      const path = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      const body = async () => {
        const raw = await readBody(req, { limit: MAX_BODY_BYTES, overflow: "discard" });
        if (raw === "too-large")
          throw new AmplifyError("BadRequestException", 400, "Request body is too large");
        try {
          const parsed = raw.length ? JSON.parse(raw.toString("utf8")) : {};
          if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
            return parsed as Record<string, unknown>;
        } catch {}
        throw new AmplifyError("BadRequestException", 400, "The request body is not a JSON object");
      };
      try {
        const out = await route(req.method ?? "GET", path, body);
        if (!out)
          throw new AmplifyError(
            "NotFoundException",
            404,
            `No Amplify operation at ${req.method} ${url.pathname}`,
          );
        send(res, 200, out);
      } catch (error) {
        if (!(error instanceof AmplifyError)) throw error;
        req.resume();
        send(
          res,
          error.status,
          { message: error.message },
          error.code === "NotEmulated" ? "FurlKit#NotEmulated" : error.code,
        );
      }
    },
    reconfigure(next) {
      apps = new Map(next.map((a) => [a.appId, a]));
    },
  };
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    !!value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string")
  );
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res
    .writeHead(status, {
      "content-type": "application/json",
      "x-amzn-requestid": randomUUID(),
      ...(errorType ? { "x-amzn-errortype": errorType } : {}),
    })
    .end(JSON.stringify(body));
}
