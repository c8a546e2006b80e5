import { cleanFileNameText } from '../text/text-hygiene.js';
/** What agents and customers may attach: common office, image, text and archive types. */
const TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp', heic: 'image/heic',
  pdf: 'application/pdf', txt: 'text/plain', log: 'text/plain', csv: 'text/csv', md: 'text/plain', json: 'application/json', xml: 'application/xml',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet', odp: 'application/vnd.oasis.opendocument.presentation',
  rtf: 'application/rtf', zip: 'application/zip', '7z': 'application/x-7z-compressed', gz: 'application/gzip',
  eml: 'message/rfc822', msg: 'application/vnd.ms-outlook', ics: 'text/calendar', vcf: 'text/vcard',
  // Call recordings (plugin connect's telephony) and voice messages.
  wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg', opus: 'audio/ogg', m4a: 'audio/mp4',
};

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

/** `contentId` marks an inline image a mail's HTML refers to as `cid:`. */
export interface AttachmentInput { filename: string; bytes: Uint8Array; contentId?: string | undefined }

export type AttachmentRefusal = { key: 'attachment.type'; params: { name: string } } | { key: 'attachment.size'; params: { name: string; max: number } } | { key: 'attachment.count'; params: { max: number } };

/** A file name safe to show and to put in Content-Disposition: no path, no control characters. */
export function cleanFilename(name: string): string {
  const base = cleanFileNameText(name).split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').trim().slice(0, 200);
  return cleaned || 'attachment';
}

/** The type we serve a file as: from our own table by extension, never from what the client claimed. */
export function attachmentType(filename: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  return extension ? TYPES_BY_EXTENSION[extension] : undefined;
}

export function checkAttachments(files: readonly AttachmentInput[]): AttachmentRefusal | undefined {
  if (files.length > MAX_ATTACHMENTS) return { key: 'attachment.count', params: { max: MAX_ATTACHMENTS } };
  for (const file of files) {
    const name = cleanFilename(file.filename);
    if (!attachmentType(name)) return { key: 'attachment.type', params: { name } };
    if (file.bytes.byteLength > MAX_ATTACHMENT_BYTES) return { key: 'attachment.size', params: { name, max: MAX_ATTACHMENT_BYTES / 1024 / 1024 } };
  }
  return undefined;
}

/** Files from a multipart form field (one or several), empty inputs skipped. */
export async function filesFromForm(value: unknown): Promise<AttachmentInput[]> {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const files: AttachmentInput[] = [];
  for (const item of list) {
    if (item instanceof File && item.size > 0) files.push({ filename: item.name, bytes: new Uint8Array(await item.arrayBuffer()) });
  }
  return files;
}
