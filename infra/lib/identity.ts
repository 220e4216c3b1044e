// Cognito user pool, its hosted UI domain and the site's confidential app client.
import { createHash } from "node:crypto";
import { Duration, RemovalPolicy, Stack, Token } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

export interface IdentityProps {
  /** The site URL with trailing slash: the only callback and sign-out URL. */
  siteUrl: string;
}

/** Sign-up, sign-in (hosted UI, authorization code grant) and the JWKS the handler verifies against. */
export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  readonly client: cognito.UserPoolClient;
  /** Hosted UI base URL, e.g. https://furl-kit-1a2b3c4d.auth.us-east-1.amazoncognito.com */
  readonly domainUrl: string;
  /** https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json */
  readonly jwksUri: string;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, "UserPool", {
      selfSignUpEnabled: true,
      signInAliases: { username: true },
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      userVerification: { emailStyle: cognito.VerificationEmailStyle.CODE },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 8,
        requireUppercase: true,
        requireLowercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      // A sample: `cdk destroy` removes its users too.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.domain = this.userPool.addDomain("Domain", {
      cognitoDomain: { domainPrefix: domainPrefix(this) },
    });
    this.client = this.userPool.addClient("WebClient", {
      generateSecret: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [props.siteUrl],
        logoutUrls: [props.siteUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.minutes(60),
      idTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });
    this.domainUrl = this.domain.baseUrl();
    const region = Stack.of(this).region;
    this.jwksUri = `https://cognito-idp.${region}.amazonaws.com/${this.userPool.userPoolId}/.well-known/jwks.json`;
  }
}

/**
 * Hosted UI domain prefixes are global across AWS, so the prefix hashes the account and region when
 * they are known at synth time; offline synths fall back to the construct's stable address.
 */
function domainPrefix(scope: Construct): string {
  const { account, region } = Stack.of(scope);
  const seed =
    Token.isUnresolved(account) || Token.isUnresolved(region)
      ? scope.node.addr
      : `${account}/${region}/${scope.node.path}`;
  return `furl-kit-${createHash("sha256").update(seed).digest("hex").slice(0, 8)}`;
}
