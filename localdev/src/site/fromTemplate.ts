// The site's slice of the template: what each BucketDeployment puts in its bucket, served per bucket (the first
// bucket on the site port, base+0, further ones on ports of their own), standing in for Amplify Hosting's
// branch domain and for the bucket's S3 hosts when a distribution uses the bucket as its origin.
import { randomUUID } from "node:crypto";
import type { LocalCustomResourceProvider, ServiceSlice, StackView } from "../template/stackView.js";
import type { LocalAmplifyApp } from "./amplifyApi.js";

export interface LocalSiteSource {
  /** Folder of the asset in the cloud assembly. */
  dir: string;
  /** Deploy-time values substituted into the files (BucketDeployment markers), already local. */
  markers: Record<string, string>;
  jsonEscape: boolean;
}

export interface LocalBucket {
  /** Logical id of the AWS::S3::Bucket (or of the deployment, for a bucket outside the stack). */
  logicalId: string;
  /** The bucket's name (its Ref), as an `s3://` source URL names it. */
  name: string;
  sources: LocalSiteSource[];
}

const DEPLOYMENT = "Custom::CDKBucketDeployment";

/** Buckets that receive a BucketDeployment, in template order of their first deployment. */
function deployedBuckets(view: StackView): Map<string, string[]> {
  const buckets = view.resourcesOfType("AWS::S3::Bucket");
  const out = new Map<string, string[]>();
  for (const id of view.resourcesOfType(DEPLOYMENT)) {
    const target = view.resource(id).Properties?.DestinationBucketName;
    const bucket = buckets.find((b) => view.refersTo(target, b)) ?? id;
    out.set(bucket, [...(out.get(bucket) ?? []), id]);
  }
  return out;
}

/**
 * BucketDeployment's handler is Python with the AWS CLI in a layer, which the kit does not run: the site server
 * serves the bucket's files straight from the assets instead, and this answers as that handler does (CDK
 * aws-s3-deployment lambda: a new `aws.cdk.s3deployment.<uuid>` id on Create, Data DestinationBucketArn and
 * SourceObjectKeys unless OutputObjectKeys is "false").
 */
const bucketDeployment: LocalCustomResourceProvider = (props, _requestType, previous) => ({
  physicalResourceId: previous?.physicalResourceId ?? `aws.cdk.s3deployment.${randomUUID()}`,
  data: {
    DestinationBucketArn: props.DestinationBucketArn,
    SourceObjectKeys: props.OutputObjectKeys === "false" ? [] : props.SourceObjectKeys,
  },
});

/** The stack's Amplify apps and branches, for the Amplify API. */
export function amplifyAppsOf(view: StackView): LocalAmplifyApp[] {
  const branches = view.resourcesOfType("AWS::Amplify::Branch").map((id) => view.properties(id));
  return view.resourcesOfType("AWS::Amplify::App").map((id) => {
    const props = view.properties(id);
    const appId = String(view.getAtt(id, "AppId"));
    return {
      appId,
      name: String(props.Name ?? id),
      arn: String(view.getAtt(id, "Arn")),
      defaultDomain: String(view.getAtt(id, "DefaultDomain")),
      platform: String(props.Platform ?? "WEB"),
      environmentVariables: variables(props.EnvironmentVariables),
      branches: branches
        .filter((b) => b.AppId === appId)
        .map((b) => ({
          branchName: String(b.BranchName),
          stage: String(b.Stage ?? "NONE"),
          environmentVariables: variables(b.EnvironmentVariables),
        })),
    };
  });
}

/** CloudFormation writes Amplify environment variables as a list of {Name, Value}. */
function variables(list: unknown): Record<string, string> {
  if (!Array.isArray(list)) return {};
  return Object.fromEntries(
    list.map((v: { Name?: unknown; Value?: unknown }) => [String(v.Name), String(v.Value)]),
  );
}

export const siteSlice: ServiceSlice<LocalBucket[]> = {
  name: "site",
  types: ["AWS::Amplify::App", "AWS::Amplify::Branch", DEPLOYMENT, "AWS::S3::Bucket"],
  notes: {
    "AWS::S3::BucketPolicy": "bucket policies are not enforced locally",
  },
  customResourceProviders: { [DEPLOYMENT]: bucketDeployment },
  servers: (view) => ({ kind: "site", ids: [...deployedBuckets(view).keys()] }),
  endpoints(view, urlOf) {
    for (const id of view.resourcesOfType("AWS::Amplify::Branch")) {
      const props = view.properties(id);
      view.endpoints.add(`${props.BranchName}.${String(props.AppId)}.amplifyapp.com`, urlOf("site"));
    }
    for (const bucket of deployedBuckets(view).keys()) {
      if (view.resource(bucket).Type !== "AWS::S3::Bucket") continue;
      view.endpoints.add(String(view.getAtt(bucket, "RegionalDomainName")), urlOf("site", bucket));
      view.endpoints.add(String(view.getAtt(bucket, "DomainName")), urlOf("site", bucket));
    }
  },
  extract: (view) =>
    [...deployedBuckets(view)].map(([bucket, deployments]) => ({
      logicalId: bucket,
      name:
        view.resource(bucket).Type === "AWS::S3::Bucket"
          ? view.ref(bucket)
          : String(view.properties(bucket).DestinationBucketName),
      sources: deployments.flatMap((id) => {
        const props = view.localProperties(id);
        const keys = (props.SourceObjectKeys ?? []) as string[];
        const markers = (props.SourceMarkers ?? []) as Record<string, string>[];
        const markersConfig = (props.SourceMarkersConfig ?? []) as { jsonEscape?: boolean }[];
        return keys.map((key, i) => ({
          dir: view.fileAssetDir(key.replace(/\.zip$/, "")),
          markers: markers[i] ?? {},
          jsonEscape: markersConfig[i]?.jsonEscape === true,
        }));
      }),
    })),
};
