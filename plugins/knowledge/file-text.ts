import { pluginScope, type Services } from '../../core/plugin-api.js';
import { DOCX, PDF } from './entry-files.js';
import type { KnowledgeDB } from './knowledge-db.js';
import { bumpRevision } from './search/index-revision.js';
import type { KnowledgeSearch } from './search/knowledge-search.js';

/** The text kept per file (and indexed): the first 200,000 characters. */
export const FILE_TEXT_MAX = 200_000;
/** Pages read of a PDF: enough for manuals, bounded for a hostile file. */
const PDF_PAGES_MAX = 300;
/** Files one job run reads per tenant (the next run takes the rest). */
const BATCH = 10;

/** The text of a PDF (pdfjs-dist, no eval, no system fonts) or a .docx (mammoth), cut to FILE_TEXT_MAX; throws on a broken file. */
// Both readers are loaded on first use: together they cost ~22 MB of RSS that a server whose knowledge base has no
// PDF or .docx (and any process that only imports this plugin) should not pay at start.
export async function extractText(bytes: Uint8Array, mimeType: string): Promise<string> {
  if (mimeType === DOCX) {
    const { default: mammoth } = await import('mammoth');
    return (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value.slice(0, FILE_TEXT_MAX);
  }
  if (mimeType !== PDF) return '';
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs takes ownership of the array it is given: a copy keeps the caller's bytes intact.
  const document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    let text = '';
    for (let page = 1; page <= Math.min(document.numPages, PDF_PAGES_MAX) && text.length < FILE_TEXT_MAX; page++) {
      const content = await (await document.getPage(page)).getTextContent();
      text += content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join('') + '\n';
    }
    return text.replace(/[ \t]+/g, ' ').slice(0, FILE_TEXT_MAX);
  } finally {
    await document.destroy();
  }
}

/**
 * The job's work for one tenant, off the request path: reads the text of files waiting for it (a few per
 * run), stores it per file and tells the search (the entry's document gets the text, boosted below the body).
 * A file that cannot be read is marked `failed` and keeps being served; it never stops the others.
 */
export async function extractPendingTexts(services: Services, tenantId: number, search: KnowledgeSearch): Promise<number> {
  const scope = pluginScope<KnowledgeDB>(services.db, tenantId);
  const pending = await scope.selectFrom('knowledge_files').select(['id', 'entry_id', 'sha256', 'mime_type']).where('text_status', '=', 'pending').orderBy('id').limit(BATCH).execute();
  if (pending.length === 0) return 0;
  const results: Array<{ id: number; entryId: number; status: 'done' | 'failed'; text: string }> = [];
  for (const file of pending) {
    try {
      const stored = await services.files.get(tenantId, file.sha256);
      if (!stored) throw new Error('bytes missing from the file store');
      results.push({ id: file.id, entryId: file.entry_id, status: 'done', text: await extractText(stored.bytes, file.mime_type) });
    } catch (error) {
      services.log.warn('knowledge: file text not extracted', { tenantId, fileId: file.id, error: String(error).slice(0, 300) });
      results.push({ id: file.id, entryId: file.entry_id, status: 'failed', text: '' });
    }
  }
  await services.db.transaction().execute(async (trx) => {
    const tx = scope.withDb(trx);
    // Only files still waiting: one removed meanwhile stays removed.
    for (const result of results) {
      await tx.updateTable('knowledge_files').set({ text_status: result.status, text: result.text }).where('id', '=', result.id).where('text_status', '=', 'pending').execute();
    }
    await bumpRevision(trx, tenantId, results.map((result) => result.entryId));
  });
  await search.changed(services, tenantId);
  return results.length;
}
