// The reproductions of the bad-input run (#14) against the kit as `npm start` runs it: each gets its answer,
// and every service keeps serving.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKit } from "../../localdev/src/index.js";
import { NotAStateFolderError } from "../../localdev/src/shared/stateDir.js";
import { sendRaw } from "../fuzz/rawHttp.js";
import { repoRoot, startTestKit, type TestKit } from "./kitTarget.js";

let t: TestKit;
const port = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  t = await startTestKit();
});
afterAll(async () => {
  await t?.close();
});

async function everyServiceAnswers(): Promise<void> {
  const e = t.kit.endpoints;
  expect((await fetch(`${e.control}/health`)).status).toBe(200);
  expect((await fetch(e.site)).status).toBe(200);
  expect((await fetch(`${e.cognitoDomain}/oauth2/userInfo`)).status).toBe(400);
  expect((await fetch(e.ssm)).status).toBe(404);
  expect((await fetch(e.functionUrl)).status).toBe(403);
  expect((await fetch(e.cloudfront, { method: "POST", body: "{}" })).status).toBe(401);
}

describe("requests that used to stop the kit", () => {
  it("answers a bad percent-encoding on the site with 400", async () => {
    const answer = await sendRaw(port(t.kit.endpoints.site), {
      method: "GET",
      target: "/%E0%A4%A",
      headers: [],
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ message: "The request path has an invalid percent-encoding." });
    await everyServiceAnswers();
  });

  it("answers an unparsable absolute-form target on the control endpoint with 400", async () => {
    const answer = await sendRaw(port(t.kit.endpoints.control), {
      method: "GET",
      target: "http://[",
      headers: [],
    });
    expect(answer.status).toBe(400);
    await everyServiceAnswers();
  });

  it("answers SSM targets naming inherited properties with UnknownOperationException", async () => {
    for (const name of ["constructor", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf"]) {
      const response = await fetch(t.kit.endpoints.ssm, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonSSM.${name}` },
        body: '{"Name":"/x"}',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: "UnknownOperationException" });
    }
    await everyServiceAnswers();
  });
});

describe("npm start -- --fresh", () => {
  it("refuses a state folder that is not the kit's and leaves it as it was", async () => {
    const project = mkdtempSync(join(tmpdir(), "furl-project-"));
    try {
      writeFileSync(join(project, "package.json"), "{}");
      await expect(
        startKit({ root: repoRoot, basePort: 0, stateDir: project, fresh: true, synth: "never" }),
      ).rejects.toThrow(NotAStateFolderError);
      expect(readdirSync(project)).toEqual(["package.json"]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
