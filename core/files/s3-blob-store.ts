import { AwsClient } from 'aws4fetch';
import { blobPath, type BlobStore } from './blob-store.js';

export interface S3Settings {
  /** http(s)://host[:port] of the S3 API, e.g. https://s3.eu-central-1.amazonaws.com or http://minio:9000. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Prepended to every key, e.g. "tresen/"; empty for the bucket's root. */
  prefix: string;
}

export class BlobStoreError extends Error {}

/**
 * An S3-compatible bucket (AWS S3, MinIO, Ceph, Garage…) addressed path-style (endpoint/bucket/key),
 * requests signed with SigV4 by aws4fetch (2 MB of memory where the AWS SDK takes 25 MB).
 */
export function s3BlobStore(settings: S3Settings, fetchImpl: typeof fetch = fetch): BlobStore {
  const client = new AwsClient({ accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, region: settings.region, service: 's3', retries: 2 });
  const base = `${settings.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(settings.bucket)}`;
  const urlOf = (sha256: string) => `${base}/${settings.prefix}${blobPath(sha256)}`;
  const send = async (url: string, init: RequestInit, what: string): Promise<Response> => {
    let response: Response;
    try {
      const signed = await client.sign(url, init);
      response = await fetchImpl(signed);
    } catch (error) {
      throw new BlobStoreError(`S3 ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return response;
  };
  const unexpected = async (response: Response, what: string) =>
    new BlobStoreError(`S3 ${what} answered ${response.status}: ${(await response.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 200)}`);

  return {
    description: `s3 ${base}/${settings.prefix}`,
    kind: 's3',
    async has(sha256) {
      const response = await send(urlOf(sha256), { method: 'HEAD' }, `HEAD ${sha256}`);
      if (response.status === 404) return false;
      if (!response.ok) throw await unexpected(response, `HEAD ${sha256}`);
      return true;
    },
    async write(sha256, bytes) {
      if (await this.has(sha256)) return;
      const response = await send(urlOf(sha256), { method: 'PUT', body: bytes as Uint8Array<ArrayBuffer>, headers: { 'Content-Type': 'application/octet-stream' } }, `PUT ${sha256}`);
      if (!response.ok) throw await unexpected(response, `PUT ${sha256}`);
      await response.arrayBuffer();
    },
    async read(sha256) {
      const response = await send(urlOf(sha256), { method: 'GET' }, `GET ${sha256}`);
      if (response.status === 404) {
        await response.arrayBuffer();
        return undefined;
      }
      if (!response.ok) throw await unexpected(response, `GET ${sha256}`);
      return Buffer.from(await response.arrayBuffer());
    },
    async check() {
      const response = await send(`${base}?list-type=2&max-keys=1&prefix=${encodeURIComponent(settings.prefix)}`, { method: 'GET' }, 'bucket check');
      if (!response.ok) throw await unexpected(response, `bucket check of ${settings.bucket}`);
      await response.arrayBuffer();
    },
  };
}
