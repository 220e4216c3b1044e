// Every flow over real HTTP against the kit started from the synthesized template.
import { afterAll, beforeAll, describe, it } from "vitest";
import { flows } from "../flows/flows.js";
import { startTestKit, type TestKit } from "./kitTarget.js";

describe("flows over HTTP (embedded kit)", () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await startTestKit();
  });
  afterAll(async () => {
    await kit?.close();
  });

  for (const flow of flows) {
    it(flow.name, () => flow.run(kit.target));
  }
});
