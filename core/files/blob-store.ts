/**
 * Where the bytes of stored files live, by their SHA-256: a folder on the disk (the default) or an
 * S3-compatible bucket. The `files` table (tenant, hash, type) stays in the database either way.
 */
export interface BlobStore {
  /** "disk <folder>" or "s3 <endpoint>/<bucket>/<prefix>", for logs and the CLI. */
  readonly description: string;
  readonly kind: 'disk' | 's3';
  has(sha256: string): Promise<boolean>;
  /** Stores the bytes under their hash; storing the same bytes again is harmless. */
  write(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or undefined when the store has none under that hash. */
  read(sha256: string): Promise<Buffer | undefined>;
  /** Fails with a readable message when the store cannot be reached or written (checked at start). */
  check(): Promise<void>;
}

export const isSha256 = (value: string) => /^[0-9a-f]{64}$/.test(value);

/** ab/cd/abcd…: two levels of 256 folders keep any one folder small. */
export const blobPath = (sha256: string) => `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
