// CloudFront in front of the Function URL: secret origin header, CORS for the site origin, WAF.
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { ORIGIN_VERIFY_HEADER } from "./constants.js";
import { WebAcl, type WebAclProps } from "./webAcl.js";

export interface EdgeProps extends WebAclProps {
  functionUrl: lambda.IFunctionUrl;
}

/**
 * The only public entry to the API. The origin secret header (not OAC) proves a request came through
 * CloudFront: OAC for Function URLs would make every viewer POST carry x-amz-content-sha256.
 */
export class Edge extends Construct {
  /** Value CloudFront sends in x-origin-verify; the handler reads it from SSM. */
  readonly originSecret: secretsmanager.Secret;
  readonly webAcl: WebAcl;
  readonly distribution: cloudfront.Distribution;
  /** https://<id>.cloudfront.net/ */
  readonly url: string;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    this.originSecret = new secretsmanager.Secret(this, "OriginSecret", {
      description: "furl-kit: value of the x-origin-verify header CloudFront sends to the Function URL",
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.webAcl = new WebAcl(this, "Waf", props);
    const corsPolicy = new cloudfront.ResponseHeadersPolicy(this, "CorsPolicy", {
      comment: "furl-kit: CORS for the site origin only",
      corsBehavior: {
        accessControlAllowOrigins: [props.siteOrigin],
        accessControlAllowMethods: ["GET", "HEAD", "POST", "OPTIONS"],
        accessControlAllowHeaders: ["content-type"],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.seconds(600),
        originOverride: true,
      },
    });
    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: "furl-kit API",
      defaultBehavior: {
        origin: new origins.FunctionUrlOrigin(props.functionUrl, {
          // A {{resolve:secretsmanager:...}} dynamic reference: the value never enters the template.
          customHeaders: { [ORIGIN_VERIFY_HEADER]: this.originSecret.secretValue.unsafeUnwrap() },
        }),
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Never forward the viewer's Host: Function URLs answer 403 to a foreign Host.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: corsPolicy,
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: this.webAcl.webAcl.attrArn,
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;
  }
}
