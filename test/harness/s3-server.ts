import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Settings } from '../../core/files/s3-blob-store.js';

/**
 * A real S3-compatible server (s3rver: the S3 REST API over HTTP, objects in a temporary folder) on a
 * free loopback port, with the named buckets. `stop()` ends it and deletes its folder.
 */
export async function startS3Server(buckets: string[] = ['tresen']) {
  const directory = mkdtempSync(join(tmpdir(), 'tresen-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    directory,
    settings: (bucket = buckets[0]!, prefix = ''): S3Settings => ({ endpoint, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', prefix }),
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
