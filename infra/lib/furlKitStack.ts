// The FurlKit stack: identity, API, edge and site wired together, with the outputs a user needs.
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Api } from "./api.js";
import { ConfigParameters, identityParameterValues } from "./configParameters.js";
import { Edge } from "./edge.js";
import { Identity } from "./identity.js";
import { acknowledgeAwsFindings, acknowledgeSharedFindings } from "./nagAcknowledgements.js";
import { type FurlKitSettings, type LocalIdentity, validateSettings } from "./settings.js";
import { SiteDeployment, SiteHosting, webConfig } from "./site.js";

export interface FurlKitStackProps extends StackProps, Partial<FurlKitSettings> {
  /** A prebuilt handler folder (tests pass a placeholder); by default the handler is bundled from lambda/src. */
  apiCodeDir?: string;
  /** Built page folder; default web/dist (tests pass a temp folder). */
  siteDir?: string;
}

/**
 * Both targets share the function, its URL, the parameter names and the IAM; only the identity, edge
 * and site wiring differ. On "localstack" (free edition: no Cognito, CloudFront, WAF, Amplify or
 * BucketDeployment) the kit stands in for those, so the stack holds only what LocalStack runs.
 */
export class FurlKitStack extends Stack {
  readonly settings: FurlKitSettings;

  constructor(scope: Construct, id: string, props: FurlKitStackProps = {}) {
    super(scope, id, props);
    const { apiCodeDir, siteDir, allowedCountries, rateLimit, siteOrigin, target, localIdentity } = props;
    this.settings = validateSettings({ allowedCountries, rateLimit, siteOrigin, target, localIdentity });
    // Same Api construct (function, URL, IAM) on both targets; created in place to keep the aws template's order.
    const newApi = () => new Api(this, "Api", { codeDir: apiCodeDir });
    if (this.settings.target === "localstack") this.wireLocalStack(newApi(), this.settings.localIdentity!);
    else this.wireAws(newApi, siteDir);
    acknowledgeSharedFindings(this, this.node.findChild("Api"));
  }

  private functionUrlOutput(api: Api): void {
    new CfnOutput(this, "FunctionUrl", {
      value: api.functionUrl.url,
      description: "Direct Function URL (answers 403 without CloudFront's origin header)",
    });
  }

  private wireAws(newApi: () => Api, siteDir: string | undefined): void {
    const hosting = new SiteHosting(this, "Site");
    const origin = this.settings.siteOrigin ?? hosting.origin;
    const siteUrl = `${origin}/`;

    const identity = new Identity(this, "Identity", { siteUrl });
    const api = newApi();
    const edge = new Edge(this, "Edge", {
      functionUrl: api.functionUrl,
      allowedCountries: this.settings.allowedCountries,
      rateLimit: this.settings.rateLimit,
      siteOrigin: origin,
    });
    new ConfigParameters(this, "Config", {
      values: identityParameterValues(identity, siteUrl),
      secrets: { identity, originSecret: edge.originSecret },
    });
    const config = webConfig({
      domainUrl: identity.domainUrl,
      clientId: identity.client.userPoolClientId,
      siteUrl,
      apiUrl: edge.url,
    });
    const site = new SiteDeployment(this, "SiteDeployment", { hosting, siteDir, config });
    acknowledgeAwsFindings(this, { identity, edge, site });

    new CfnOutput(this, "SiteUrl", { value: siteUrl, description: "The page" });
    new CfnOutput(this, "SignInUrl", { value: config.signInUrl, description: "Cognito hosted UI sign-in" });
    new CfnOutput(this, "CloudFrontUrl", { value: edge.url, description: "The API, behind WAF" });
    this.functionUrlOutput(api);
    new CfnOutput(this, "UserPoolId", { value: identity.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: identity.client.userPoolClientId });
  }

  /** String parameters from the kit's Cognito emulator; the two SecureStrings are written before deploy. */
  private wireLocalStack(api: Api, identity: LocalIdentity): void {
    new ConfigParameters(this, "Config", {
      values: {
        "cognito-domain-url": identity.cognitoDomainUrl,
        "client-id": identity.clientId,
        "redirect-uri": identity.redirectUri,
        "user-pool-id": identity.userPoolId,
        "jwks-uri": identity.jwksUri,
      },
    });
    new CfnOutput(this, "SiteUrl", {
      value: identity.redirectUri,
      description: "The page (served by the kit)",
    });
    this.functionUrlOutput(api);
  }
}
