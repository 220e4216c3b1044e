// S3's virtual-hosted bucket host names: what CloudFront sends an S3 origin as Host.

/** `<bucket>.s3.amazonaws.com`, `<bucket>.s3.<region>.amazonaws.com`, `<bucket>.s3-<region>.amazonaws.com`. */
export function isS3Host(host: string): boolean {
  return /\.s3([.-][a-z0-9-]+)?\.amazonaws\.com$/i.test(host.split(":")[0] ?? "");
}
