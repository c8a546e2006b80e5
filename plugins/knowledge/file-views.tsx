import type { Context } from 'hono';
import { attachmentResponse, type AppEnv } from '../../core/plugin-api.js';
import { displayOf, type EntryFile, type EntryFiles } from './entry-files.js';

/** 1.2 MB, 340 KB, 12 B: in the reader's number format. */
export function fileSize(c: Context<AppEnv>, bytes: number): string {
  const number = (value: number) => new Intl.NumberFormat(c.var.locale, { maximumFractionDigits: 1 }).format(value);
  if (bytes >= 1024 * 1024) return `${number(bytes / 1024 / 1024)} MB`;
  if (bytes >= 1024) return `${number(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/**
 * An entry's files: images and videos shown in the page, PDFs opened in the browser's viewer, anything else a
 * download; every one also as a download. `urlOf` gives the file's address on this page's side (agents, portal,
 * help centre), each of which checks the entry's visibility. Names and tags are text (JSX escapes them).
 */
export function FileList(props: { c: Context<AppEnv>; files: readonly EntryFile[]; urlOf: (file: EntryFile) => string; remove?: ((file: EntryFile) => string) | undefined }) {
  const { c, files, urlOf } = props;
  const t = c.var.t;
  if (files.length === 0) return null;
  return (
    <section class="knowledge-files" id="knowledge-files">
      <h2>{t('knowledge.files')}</h2>
      <ul class="knowledge-file-list">
        {files.map((file) => {
          const url = urlOf(file);
          const display = displayOf(file.mime_type);
          return (
            <li class={`knowledge-file knowledge-file-${display}`} id={`knowledge-file-${file.id}`}>
              {display === 'image' ? <img src={url} alt={file.filename} loading="lazy" class="knowledge-file-picture" /> : null}
              {display === 'video' ? <video src={url} controls preload="metadata" class="knowledge-file-player">{file.filename}</video> : null}
              <div class="knowledge-file-meta">
              <p class="knowledge-file-name">
                {display === 'pdf' ? <a href={url} target="_blank" rel="noopener">{file.filename}</a> : <span>{file.filename}</span>}
                {' '}<span class="muted">{fileSize(c, file.size)}</span>
                {' · '}<a href={`${url}?download=1`} download={file.filename} class="knowledge-file-download">{t('knowledge.file.download')}</a>
                {file.tags.map((tag) => <> <span class="knowledge-tag">{tag}</span></>)}
              </p>
              {props.remove ? (
                <form method="post" action={props.remove(file)} class="knowledge-inline">
                  <button type="submit" class="button-small" id={`knowledge-file-remove-${file.id}`}>{t('knowledge.file.remove')}</button>
                </form>
              ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * A file's bytes, typed from our own table and marked nosniff: raster images, videos and PDFs inline (unless
 * `?download`), everything else (SVG, office files, archives…) as a download. The caller has checked that the
 * viewer may see the entry; a file of another entry or tenant is not found.
 */
export async function fileResponse(c: Context<AppEnv>, files: EntryFiles, entryId: number, fileId: number): Promise<Response> {
  const file = await files.get(entryId, fileId);
  const bytes = await files.bytes(file);
  const inline = displayOf(file.mime_type) !== 'download' && c.req.query('download') === undefined;
  return attachmentResponse(c, { bytes, filename: file.filename, mimeType: file.mime_type }, 'private', inline ? 'inline' : 'attachment');
}
