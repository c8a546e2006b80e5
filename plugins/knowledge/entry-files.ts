import { z } from 'zod';
import { DomainError, attachmentType, cleanFilename, invalidFields, pluginScope, type AttachmentInput, type Services } from '../../core/plugin-api.js';
import type { FileTextStatus, KnowledgeDB } from './knowledge-db.js';
import { bumpRevision } from './search/index-revision.js';
import type { KnowledgeSearch } from './search/knowledge-search.js';
import type { Actor } from './topic-store.js';
import { checked } from './validate.js';

/** A file of at most 20 MB (a video), at most 10 per upload and 30 per entry (an upload body is at most 25 MB). */
export const FILE_MAX_BYTES = 20 * 1024 * 1024;
export const FILES_PER_UPLOAD = 10;
export const FILES_PER_ENTRY = 30;
export const FILE_TAGS_MAX = 10;
export const FILE_TAG_MAX = 40;

/** Beside the types the desk accepts for attachments: videos, and SVG (always served as a download). */
const EXTRA_TYPES: Readonly<Record<string, string>> = {
  mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm', ogv: 'video/ogg', mov: 'video/quicktime', svg: 'image/svg+xml',
};
/** Shown in the page: raster images as <img>, videos as <video>; PDFs open in the browser's viewer. SVG never (it may carry script). */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const INLINE_VIDEOS = new Set(['video/mp4', 'video/webm', 'video/ogg']);
export const PDF = 'application/pdf';
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The type a file is stored and served as: from its name by our own table, never from what the client claimed. */
export function knowledgeFileType(filename: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  return attachmentType(filename) ?? (extension ? EXTRA_TYPES[extension] : undefined);
}

/** How a page shows a file: an image, a video, a PDF link that opens in the browser, or a download. */
export type FileDisplay = 'image' | 'video' | 'pdf' | 'download';
export function displayOf(mimeType: string): FileDisplay {
  if (INLINE_IMAGES.has(mimeType)) return 'image';
  if (INLINE_VIDEOS.has(mimeType)) return 'video';
  return mimeType === PDF ? 'pdf' : 'download';
}

export interface EntryFile { id: number; entry_id: number; filename: string; mime_type: string; size: number; tags: string[]; text_status: FileTextStatus; created_at: string; created_by: string }
const FILE_COLUMNS = ['id', 'entry_id', 'filename', 'mime_type', 'size', 'tags', 'text_status', 'created_at', 'created_by'] as const;
const toFile = (row: Omit<EntryFile, 'tags'> & { tags: string }): EntryFile => ({ ...row, tags: JSON.parse(row.tags) as string[] });

const tagsSchema = z.object({
  file_tags: z.preprocess((value) => (typeof value === 'string' ? value.split(',') : value ?? []), z.array(z.string('knowledge.error.invalid').trim().max(FILE_TAG_MAX, 'knowledge.error.tagTooLong'), 'knowledge.error.invalid'))
    .transform((tags) => [...new Map(tags.filter(Boolean).map((tag) => [tag.toLowerCase(), tag])).values()])
    .refine((tags) => tags.length <= FILE_TAGS_MAX, 'knowledge.error.tooManyFileTags'),
});

/**
 * Checks files and their tags before anything is saved (the entry form checks before it saves the entry):
 * a refusal with the message at its field (`files`, `file_tags`). `existing`: how many files the entry has.
 */
export function checkUpload(files: readonly AttachmentInput[], tagsInput: unknown, existing = 0): string[] {
  const tags = checked(tagsSchema, { file_tags: tagsInput }).file_tags;
  let refusal: string | undefined;
  if (files.length > FILES_PER_UPLOAD) refusal = 'knowledge.file.tooMany';
  else if (existing + files.length > FILES_PER_ENTRY) refusal = 'knowledge.file.entryFull';
  else if (files.some((file) => !knowledgeFileType(cleanFilename(file.filename)))) refusal = 'knowledge.file.type';
  else if (files.some((file) => file.bytes.byteLength > FILE_MAX_BYTES)) refusal = 'knowledge.file.size';
  if (refusal) throw invalidFields('error.invalid', { files: refusal });
  return tags;
}

/**
 * The files of the tenant's entries: bytes in core's file store (content-addressed, per tenant), a row per
 * file with its sanitised name, type (from our own table), tags and extracted text. Who may read a file is
 * decided by its entry (callers check the entry first); another tenant's ids are simply not found.
 */
export function entryFiles(services: Services, tenantId: number, search: KnowledgeSearch) {
  const scope = pluginScope<KnowledgeDB>(services.db, tenantId);

  async function entryExists(entryId: number): Promise<void> {
    const entry = await scope.selectFrom('knowledge_entries').select('id').where('id', '=', entryId).executeTakeFirst();
    if (!entry) throw new DomainError('not_found', 'error.notFound');
  }

  return {
    async list(entryId: number): Promise<EntryFile[]> {
      return (await scope.selectFrom('knowledge_files').select(FILE_COLUMNS).where('entry_id', '=', entryId).orderBy('id').execute()).map(toFile);
    },

    async count(entryId: number): Promise<number> {
      return Number((await scope.selectFrom('knowledge_files').select((eb) => eb.fn.countAll<number>().as('n')).where('entry_id', '=', entryId).executeTakeFirstOrThrow()).n);
    },

    /** A file of that entry, or not found (another entry's or tenant's id included). */
    async get(entryId: number, fileId: number): Promise<EntryFile & { sha256: string }> {
      const row = await scope.selectFrom('knowledge_files').select([...FILE_COLUMNS, 'sha256']).where('id', '=', fileId).where('entry_id', '=', entryId).executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'error.notFound');
      return { ...toFile(row), sha256: row.sha256 };
    },

    /** The file's bytes as stored, or not found when they are gone from the disk. */
    async bytes(file: { sha256: string }): Promise<Uint8Array> {
      const stored = await services.files.get(tenantId, file.sha256);
      if (!stored) throw new DomainError('not_found', 'error.notFound');
      return stored.bytes;
    },

    /**
     * Adds files to an entry (checked first: type, size, count; nothing is stored on a refusal). PDF and Word
     * files wait for the text extraction job; the search hears of the change once their text is in.
     */
    async add(entryId: number, files: readonly AttachmentInput[], tagsInput: unknown, actor: Actor): Promise<EntryFile[]> {
      await entryExists(entryId);
      if (files.length === 0) throw invalidFields('error.invalid', { files: 'knowledge.file.required' });
      const tags = checkUpload(files, tagsInput, await this.count(entryId));
      const now = services.clock().toISOString();
      const stored = await Promise.all(files.map(async (file) => {
        const filename = cleanFilename(file.filename);
        const mimeType = knowledgeFileType(filename)!;
        return { filename, mimeType, size: file.bytes.byteLength, sha256: await services.files.put(tenantId, file.bytes, mimeType) };
      }));
      const ids = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await tx.selectFrom('knowledge_entries').select('id').where('id', '=', entryId).executeTakeFirstOrThrow();
        const added: number[] = [];
        for (const file of stored) {
          const extractable = file.mimeType === PDF || file.mimeType === DOCX;
          const { id } = await tx.insertInto('knowledge_files', {
            entry_id: entryId, sha256: file.sha256, filename: file.filename, mime_type: file.mimeType, size: file.size, tags: JSON.stringify(tags),
            text_status: extractable ? 'pending' : 'none', text: '', created_at: now, created_by: actor.label,
          }).returning('id').executeTakeFirstOrThrow();
          added.push(id);
        }
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'knowledge.file_added', target: `#${entryId} ${stored.map((f) => f.filename).join(', ')}` }, trx);
        // File names and tags are searched at once; the extracted text follows when the job has read it.
        await bumpRevision(trx, tenantId, [entryId]);
        return added;
      });
      await search.changed(services, tenantId);
      const all = await this.list(entryId);
      return all.filter((file) => ids.includes(file.id));
    },

    async remove(entryId: number, fileId: number, actor: Actor): Promise<void> {
      const file = await this.get(entryId, fileId);
      await services.db.transaction().execute(async (trx) => {
        await scope.withDb(trx).deleteFrom('knowledge_files').where('id', '=', fileId).where('entry_id', '=', entryId).execute();
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'knowledge.file_removed', target: `#${entryId} ${file.filename}` }, trx);
        await bumpRevision(trx, tenantId, [entryId]);
      });
      await search.changed(services, tenantId);
    },
  };
}
export type EntryFiles = ReturnType<typeof entryFiles>;
