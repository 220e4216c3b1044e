// Finding Testcontainers' port forwarder in the engine's container list.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ListedContainer, portForwarderAddress } from "./portForwarder.js";

const container = (labels: Record<string, string>, state = "running"): ListedContainer => ({
  Labels: labels,
  State: state,
  NetworkSettings: { Networks: { bridge: { IPAddress: "172.17.0.3" } } },
});

describe("portForwarderAddress", () => {
  it("uses the label names of the installed testcontainers (read, not imported: importing can hang)", () => {
    const main = createRequire(import.meta.url).resolve("testcontainers");
    const labels = readFileSync(join(dirname(main), "utils", "labels.js"), "utf8");
    expect(labels).toContain('LABEL_TESTCONTAINERS_SSHD = "org.testcontainers.sshd"');
    expect(labels).toContain('LABEL_TESTCONTAINERS_SESSION_ID = "org.testcontainers.session-id"');
  });

  it("finds this session's running forwarder and its address on its network", () => {
    const list = [
      container({ "org.testcontainers.sshd": "true", "org.testcontainers.session-id": "other" }),
      container({ "org.testcontainers.sshd": "true", "org.testcontainers.session-id": "s1" }, "exited"),
      container({ "org.testcontainers.ryuk": "true", "org.testcontainers.session-id": "s1" }),
      container({ "org.testcontainers.sshd": "true", "org.testcontainers.session-id": "s1" }),
    ];
    expect(portForwarderAddress(list, "s1")).toEqual({ network: "bridge", address: "172.17.0.3" });
  });

  it("says so when there is none", () => {
    expect(() => portForwarderAddress([], "s1")).toThrow(/no running Testcontainers port forwarder/);
  });
});
