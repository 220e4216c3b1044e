// Which cfn-lint findings `npm run lint:cfn` lets through: only CDK's own function-to-role DependsOn.
import { describe, expect, it } from "vitest";
import { isCdkRoleDependency } from "./cfnLint.js";

const template = {
  Resources: {
    Fn: { Type: "AWS::Lambda::Function", Properties: { Role: { "Fn::GetAtt": ["FnRole", "Arn"] } } },
    Publish: { Type: "Custom::AWS", Properties: {} },
  },
};
const w3005 = (path: (string | number)[], dependency: string) => ({
  Level: "Warning",
  Rule: { Id: "W3005" },
  Location: { Path: path },
  Message: `'${dependency}' dependency already enforced by a 'GetAtt' at 'Resources/${path[1]}/Properties/Role'`,
});

describe("isCdkRoleDependency", () => {
  it("accepts a function's DependsOn its own execution role", () => {
    expect(isCdkRoleDependency(w3005(["Resources", "Fn", "DependsOn", 1], "FnRole"), template)).toBe(true);
  });

  it("refuses a redundant DependsOn our code wrote on another resource", () => {
    expect(isCdkRoleDependency(w3005(["Resources", "Publish", "DependsOn", 0], "Upload"), template)).toBe(
      false,
    );
  });

  it("refuses a function's redundant DependsOn on anything but its role, and any other rule", () => {
    expect(isCdkRoleDependency(w3005(["Resources", "Fn", "DependsOn", 0], "Other"), template)).toBe(false);
    const e3012 = { ...w3005(["Resources", "Fn", "DependsOn", 1], "FnRole"), Rule: { Id: "E3012" } };
    expect(isCdkRoleDependency(e3012, template)).toBe(false);
  });
});
