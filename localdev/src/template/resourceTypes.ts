// How each CloudFormation resource type gets its local physical id and attributes (Ref / Fn::GetAtt).
import {
  newAmplifyAppId,
  newDistributionDomain,
  newDistributionId,
  newFunctionUrlId,
  newSecretValue,
  newUuid,
  type PhysicalRecord,
  randomString,
} from "./physicalIds.js";

export interface TypeContext {
  logicalId: string;
  region: string;
  accountId: string;
  stackName: string;
  /** The resource's properties, resolved on demand (only when an id depends on them). */
  property(name: string): unknown;
  newUserPoolId(): string;
  newClientId(): string;
  newClientSecret(): string;
}

export interface ResourceType {
  /** Creates the persisted part: random ids, generated secrets. */
  create(ctx: TypeContext): Omit<PhysicalRecord, "type">;
  /** Ref and attributes derived from the record and (resolved) properties. */
  ref?(record: PhysicalRecord, ctx: TypeContext): string;
  attributes?(record: PhysicalRecord, ctx: TypeContext): Record<string, unknown>;
}

const shortSuffix = () => randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 12);

export const RESOURCE_TYPES: Record<string, ResourceType> = {
  "AWS::Cognito::UserPool": {
    create: (ctx) => ({ id: ctx.newUserPoolId(), attributes: {} }),
    attributes: ({ id }, ctx) => ({
      Arn: `arn:aws:cognito-idp:${ctx.region}:${ctx.accountId}:userpool/${id}`,
      ProviderName: `cognito-idp.${ctx.region}.amazonaws.com/${id}`,
      ProviderURL: `https://cognito-idp.${ctx.region}.amazonaws.com/${id}`,
      UserPoolId: id,
    }),
  },
  "AWS::Cognito::UserPoolClient": {
    create: (ctx) => ({ id: ctx.newClientId(), attributes: { ClientSecret: ctx.newClientSecret() } }),
    attributes: ({ id, attributes }, ctx) => ({
      ClientId: id,
      Name: ctx.property("ClientName") ?? id,
      ...(ctx.property("GenerateSecret") === true ? { ClientSecret: attributes.ClientSecret } : {}),
    }),
  },
  "AWS::Cognito::UserPoolDomain": {
    create: () => ({ id: "", attributes: { CloudFrontDistribution: newDistributionDomain() } }),
    ref: (_, ctx) => String(ctx.property("Domain")),
    attributes: ({ attributes }) => attributes,
  },
  "AWS::SSM::Parameter": {
    create: (ctx) => ({ id: `CFN-${ctx.logicalId}-${shortSuffix()}`, attributes: {} }),
    ref: (record, ctx) => (ctx.property("Name") as string | undefined) ?? record.id,
    attributes: (_, ctx) => ({ Type: ctx.property("Type"), Value: ctx.property("Value") }),
  },
  "AWS::Lambda::Function": {
    create: (ctx) => ({
      id: `${ctx.stackName}-${ctx.logicalId}-${shortSuffix()}`.slice(0, 64),
      attributes: {},
    }),
    ref: (record, ctx) => (ctx.property("FunctionName") as string | undefined) ?? record.id,
    attributes: (record, ctx) => ({
      Arn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${(ctx.property("FunctionName") as string) ?? record.id}`,
    }),
  },
  "AWS::Lambda::Url": {
    create: () => ({ id: newFunctionUrlId(), attributes: {} }),
    attributes: ({ id }, ctx) => ({
      FunctionUrl: `https://${id}.lambda-url.${ctx.region}.on.aws/`,
      FunctionArn: ctx.property("TargetFunctionArn"),
    }),
  },
  "AWS::CloudFront::Distribution": {
    create: () => ({ id: newDistributionId(), attributes: { DomainName: newDistributionDomain() } }),
    attributes: ({ id, attributes }) => ({ Id: id, DomainName: attributes.DomainName }),
  },
  "AWS::CloudFront::OriginRequestPolicy": uuidResource("Id"),
  "AWS::CloudFront::ResponseHeadersPolicy": uuidResource("Id"),
  "AWS::CloudFront::CachePolicy": uuidResource("Id"),
  // Ids like a distribution's (E + 13 upper-case letters and digits); the kit reads S3 origins without signing.
  "AWS::CloudFront::OriginAccessControl": {
    create: () => ({ id: newDistributionId(), attributes: {} }),
    attributes: ({ id }) => ({ Id: id }),
  },
  "AWS::WAFv2::WebACL": {
    create: () => ({ id: newUuid(), attributes: {} }),
    attributes: ({ id }, ctx) => ({
      Id: id,
      Arn: `arn:aws:wafv2:${ctx.region}:${ctx.accountId}:global/webacl/${ctx.property("Name") ?? ctx.logicalId}/${id}`,
    }),
  },
  "AWS::WAFv2::IPSet": {
    create: () => ({ id: newUuid(), attributes: {} }),
    attributes: ({ id }, ctx) => ({
      Id: id,
      Arn: `arn:aws:wafv2:${ctx.region}:${ctx.accountId}:global/ipset/${ctx.property("Name") ?? ctx.logicalId}/${id}`,
    }),
  },
  "AWS::SecretsManager::Secret": {
    create: (ctx) => ({
      id: `${ctx.logicalId}-${shortSuffix()}`,
      attributes: { suffix: randomString("abcdefABCDEF0123456789", 6) },
    }),
    ref: (record, ctx) =>
      `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${(ctx.property("Name") as string) ?? record.id}-${record.attributes.suffix}`,
    attributes: (record, ctx) => ({ Id: RESOURCE_TYPES["AWS::SecretsManager::Secret"]!.ref!(record, ctx) }),
  },
  "AWS::Amplify::App": {
    create: () => ({ id: newAmplifyAppId(), attributes: {} }),
    attributes: ({ id }, ctx) => ({
      AppId: id,
      AppName: ctx.property("Name"),
      DefaultDomain: `${id}.amplifyapp.com`,
      Arn: `arn:aws:amplify:${ctx.region}:${ctx.accountId}:apps/${id}`,
    }),
  },
  "AWS::Amplify::Branch": {
    create: () => ({ id: "", attributes: {} }),
    attributes: (_, ctx) => ({ BranchName: ctx.property("BranchName") }),
  },
  "AWS::S3::Bucket": {
    create: (ctx) => ({
      id: `${ctx.stackName}-${ctx.logicalId}-${shortSuffix()}`.toLowerCase().slice(0, 63),
      attributes: {},
    }),
    ref: (record, ctx) => (ctx.property("BucketName") as string | undefined) ?? record.id,
    attributes: (record, ctx) => {
      const name = (ctx.property("BucketName") as string | undefined) ?? record.id;
      return {
        Arn: `arn:aws:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.${ctx.region}.amazonaws.com`,
      };
    },
  },
  "AWS::IAM::Role": {
    create: (ctx) => ({
      id: `${ctx.stackName}-${ctx.logicalId}-${shortSuffix()}`.slice(0, 64),
      attributes: {},
    }),
    attributes: ({ id }, ctx) => ({
      Arn: `arn:aws:iam::${ctx.accountId}:role/${id}`,
      RoleId: `AROA${shortSuffix()}`,
    }),
  },
};

function uuidResource(idAttribute: string): ResourceType {
  return {
    create: () => ({ id: newUuid(), attributes: {} }),
    attributes: ({ id }) => ({ [idAttribute]: id }),
  };
}

/** Ids for types without an entry: a readable placeholder, never mistaken for a real one. */
export const FALLBACK_TYPE: ResourceType = {
  create: (ctx) => ({ id: `${ctx.logicalId}-local`, attributes: {} }),
  attributes: ({ id }, ctx) => ({ Arn: `arn:aws:local:${ctx.region}:${ctx.accountId}:${id}` }),
};

export { newSecretValue };
