// The FurlKit stack: identity, API, edge and site wired together, with the outputs a user needs.
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Api } from "./api.js";
import { ConfigParameters } from "./configParameters.js";
import { Edge } from "./edge.js";
import { Identity } from "./identity.js";
import { type FurlKitSettings, validateSettings } from "./settings.js";
import { SiteDeployment, SiteHosting, webConfig } from "./site.js";

export interface FurlKitStackProps extends StackProps, Partial<FurlKitSettings> {
  /** Bundled handler folder; default lambda/dist/api (tests pass a temp folder). */
  apiCodeDir?: string;
  /** Built page folder; default web/dist (tests pass a temp folder). */
  siteDir?: string;
}

export class FurlKitStack extends Stack {
  readonly settings: FurlKitSettings;

  constructor(scope: Construct, id: string, props: FurlKitStackProps = {}) {
    super(scope, id, props);
    const { apiCodeDir, siteDir, allowedCountries, rateLimit, siteOrigin, target } = props;
    this.settings = validateSettings({ allowedCountries, rateLimit, siteOrigin, target });
    // Only hosting and identity wiring may differ per target (LocalStack variant: to do), so both
    // targets build the same resources for now.
    const hosting = new SiteHosting(this, "Site");
    const origin = this.settings.siteOrigin ?? hosting.origin;
    const siteUrl = `${origin}/`;

    const identity = new Identity(this, "Identity", { siteUrl });
    const api = new Api(this, "Api", { codeDir: apiCodeDir });
    const edge = new Edge(this, "Edge", {
      functionUrl: api.functionUrl,
      allowedCountries: this.settings.allowedCountries,
      rateLimit: this.settings.rateLimit,
      siteOrigin: origin,
    });
    new ConfigParameters(this, "Config", { identity, originSecret: edge.originSecret, siteUrl });
    const config = webConfig({
      domainUrl: identity.domainUrl,
      clientId: identity.client.userPoolClientId,
      siteUrl,
      apiUrl: edge.url,
    });
    new SiteDeployment(this, "SiteDeployment", { hosting, siteDir, config });

    new CfnOutput(this, "SiteUrl", { value: siteUrl, description: "The page" });
    new CfnOutput(this, "SignInUrl", { value: config.signInUrl, description: "Cognito hosted UI sign-in" });
    new CfnOutput(this, "CloudFrontUrl", { value: edge.url, description: "The API, behind WAF" });
    new CfnOutput(this, "FunctionUrl", {
      value: api.functionUrl.url,
      description: "Direct Function URL (answers 403 without CloudFront's origin header)",
    });
    new CfnOutput(this, "UserPoolId", { value: identity.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: identity.client.userPoolClientId });
  }
}
