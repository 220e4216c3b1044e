// The Function URL's slice of the template: every function that has an AWS::Lambda::Url, each URL on its own
// local port (the first keeps base+3). Functions without a URL are deploy-time helpers and are not run.
import { BUNDLE_METADATA_KEY } from "../../../lambda/build.js";
import { TemplateResolveError } from "../template/intrinsics.js";
import type { ServiceSlice, StackView } from "../template/stackView.js";

export interface LocalFunction {
  logicalId: string;
  name: string;
  codeDir: string;
  /** The build definition the code comes from (template Metadata `furl-kit:bundle`), when the app names one. */
  bundle?: string;
  properties: Record<string, unknown>;
  url?: { logicalId: string; urlId: string; awsHost: string; properties: Record<string, unknown> };
}

const urlHost = (view: StackView, urlId: string) => new URL(String(view.getAtt(urlId, "FunctionUrl"))).host;

export const functionUrlSlice: ServiceSlice<LocalFunction[]> = {
  name: "lambda",
  types: ["AWS::Lambda::Url"],
  notes: {
    "AWS::Lambda::Function": "deploy-time helpers (custom resource providers), not run locally",
    "AWS::Lambda::Permission": "permissions are not enforced locally",
    "AWS::Logs::LogGroup": "function logs go to the kit's log",
  },
  servers: (view) => ({ kind: "functionUrl", ids: view.resourcesOfType("AWS::Lambda::Url") }),
  endpoints(view, urlOf) {
    for (const id of view.resourcesOfType("AWS::Lambda::Url"))
      view.endpoints.add(urlHost(view, id), urlOf("functionUrl", id));
  },
  extract: (view) =>
    view.resourcesOfType("AWS::Lambda::Url").map((urlId) => {
      const target = view.resource(urlId).Properties?.TargetFunctionArn;
      const functionId = view
        .resourcesOfType("AWS::Lambda::Function")
        .find((id) => view.refersTo(target, id));
      if (!functionId)
        throw new TemplateResolveError(`${urlId}: TargetFunctionArn does not name a function here`);
      const bundle = view.resource(functionId).Metadata?.[BUNDLE_METADATA_KEY];
      return {
        logicalId: functionId,
        name: view.ref(functionId),
        codeDir: view.assetDir(functionId),
        ...(typeof bundle === "string" ? { bundle } : {}),
        properties: view.localProperties(functionId),
        url: {
          logicalId: urlId,
          urlId: view.record(urlId).id,
          awsHost: urlHost(view, urlId),
          properties: view.localProperties(urlId),
        },
      };
    }),
};
