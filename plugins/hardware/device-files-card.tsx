import type { Context } from 'hono';
import { formatDateTime, href, type AppEnv } from '../../core/plugin-api.js';
import { FILE_MAX_MB, FILES_PER_DEVICE, type DeviceFile } from './device-files.js';

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** The device page's files: each a download (and a remove button for editors), the upload form with its refusal at the field. */
export function DeviceFilesCard(props: { c: Context<AppEnv>; deviceId: number; files: DeviceFile[]; canEdit: boolean; error?: string | undefined }) {
  const { c, deviceId, files } = props;
  const t = c.var.t;
  const base = `/p/hardware/devices/${deviceId}/files`;
  return (
    <section class="card stack" id="hardware-files">
      <h2>{t('hardware.files.title')}</h2>
      <p class="muted">{t('hardware.files.portalNote')}</p>
      {files.length === 0 ? <p class="muted" id="hardware-files-none">{t('hardware.files.none')}</p> : (
        <ul class="hardware-list hardware-files">
          {files.map((file) => (
            <li id={`hardware-file-${file.id}`}>
              <a href={href(c, `${base}/${file.id}`)} download>{file.filename}</a>{' '}
              <span class="muted">{size(file.size)} · {file.created_by} · {formatDateTime(file.created_at, c.var.dates)}</span>
              {props.canEdit ? (
                <form method="post" action={href(c, `${base}/${file.id}/delete`)} class="hardware-inline-form">
                  <button type="submit" class="link-button" id={`hardware-file-remove-${file.id}`}>{t('hardware.files.remove')}</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {props.canEdit ? (
        <form method="post" action={href(c, base)} enctype="multipart/form-data" class="stack" id="hardware-file-upload">
          <div class={props.error ? 'field field-invalid' : 'field'}>
            <label for="f-files">{t('hardware.files.upload')}</label>
            <input type="file" id="f-files" name="files" multiple aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? 'files-error' : 'files-hint'} />
            {props.error ? <small class="field-error" id="files-error" role="alert">{props.error}</small> : null}
            <small class="hint" id="files-hint">{t('hardware.files.tooLarge', { max: FILE_MAX_MB })} {t('hardware.files.tooMany', { max: FILES_PER_DEVICE })}</small>
          </div>
          <div class="hardware-actions"><button type="submit" class="button" id="hardware-file-add">{t('hardware.files.add')}</button></div>
        </form>
      ) : null}
    </section>
  );
}
