import { join } from 'node:path';
import type { AppConfig } from '../../config/env.js';
import type { BlobStore } from './blob-store.js';
import { diskBlobStore } from './disk-blob-store.js';
import { s3BlobStore } from './s3-blob-store.js';

/** The blob store the configuration names: the S3 bucket when S3_BUCKET is set, else DATA_DIR/files. */
export function blobStoreFor(config: Pick<AppConfig, 'dataDir' | 's3'>): BlobStore {
  return config.s3 ? s3BlobStore(config.s3) : diskBlobStore(join(config.dataDir, 'files'));
}
