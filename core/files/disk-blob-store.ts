import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { blobPath, type BlobStore } from './blob-store.js';

/** Files under `root` (DATA_DIR/files), outside the web root, written atomically (temporary name, then rename). */
export function diskBlobStore(root: string): BlobStore {
  const pathOf = (sha256: string) => join(root, ...blobPath(sha256).split('/'));
  return {
    description: `disk ${root}`,
    kind: 'disk',
    has: (sha256) => access(pathOf(sha256)).then(() => true, () => false),
    async write(sha256, bytes) {
      const target = pathOf(sha256);
      if (await this.has(sha256)) return;
      await mkdir(dirname(target), { recursive: true });
      // A name of its own per write: two writes of the same bytes at once must not share one temporary file.
      const temporary = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, target);
    },
    async read(sha256) {
      try {
        return await readFile(pathOf(sha256));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async check() {
      await mkdir(root, { recursive: true });
      const probe = join(root, `.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
      await writeFile(probe, 'ok');
      await rm(probe, { force: true });
    },
  };
}
