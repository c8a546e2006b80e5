import type { Services } from '../../../core/plugin-api.js';
import { helpdeskScope } from '../helpdesk-db.js';
import { imapClient } from './imap-connection.js';
import type { MailboxConnection } from './mailbox-store.js';

const FETCH_CHUNK = 50;

/** The Message-ID from the header block of a raw message, without parsing the rest. */
export function rawMessageId(raw: Uint8Array): string | null {
  const head = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 256 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id:\s*(<[^<>\s]+>)/im.exec(block);
  return match ? match[1]!.slice(0, 500) : null;
}

export interface ImportResult { fetched: number; stored: number; duplicates: number }

/**
 * Copies new messages of one mailbox into helpdesk_mails, exactly once. Per chunk of UIDs: the
 * raw bytes go to the file store (content-addressed, so a repeat is harmless), then one
 * transaction inserts the rows (unique per tenant and Message-ID, or raw hash without one) and
 * moves the mailbox's last UID; only after that commit are the messages flagged \Seen on the
 * server. A process killed anywhere re-fetches at most the uncommitted chunk, which the
 * unique key then drops. A new UIDVALIDITY starts over from UID 1, again deduplicated.
 */
export async function importMailbox(services: Services, mailbox: MailboxConnection, options: { signal?: AbortSignal; onCommitted?: () => void } = {}): Promise<ImportResult> {
  const { tenantId } = mailbox;
  const scope = helpdeskScope(services.db, tenantId);
  const result: ImportResult = { fetched: 0, stored: 0, duplicates: 0 };
  const client = imapClient(mailbox);
  client.on('error', (error: Error) => services.log.warn('helpdesk imap error', { tenantId, mailbox: mailbox.id, error: error.message }));
  try {
    await client.connect();
    const lock = await client.getMailboxLock(mailbox.folder);
    try {
      const opened = client.mailbox;
      if (!opened) throw new Error(`folder ${mailbox.folder} could not be opened`);
      const uidValidity = String(opened.uidValidity);
      const row = await scope.selectFrom('helpdesk_mailboxes').select(['uid_validity', 'last_uid']).where('id', '=', mailbox.id).executeTakeFirstOrThrow();
      let lastUid = row.last_uid;
      if (row.uid_validity !== uidValidity) {
        await scope.updateTable('helpdesk_mailboxes').set({ uid_validity: uidValidity, last_uid: 0 }).where('id', '=', mailbox.id).execute();
        lastUid = 0;
      }
      if (opened.exists === 0 || opened.uidNext <= lastUid + 1) return result;
      const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
      // "n:*" names the last message even when its UID is below n.
      const uids = (found || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
      for (let start = 0; start < uids.length; start += FETCH_CHUNK) {
        if (options.signal?.aborted) break;
        const chunk = uids.slice(start, start + FETCH_CHUNK);
        // The raw bytes are stored while the rest of the chunk streams in; all are stored before the rows commit.
        const storing: Array<Promise<{ uid: number; sha256: string; messageId: string | null; size: number }>> = [];
        for await (const message of client.fetch(chunk.join(','), { uid: true, source: true }, { uid: true })) {
          if (!message.source) continue;
          result.fetched++;
          const raw = new Uint8Array(message.source);
          const uid = message.uid;
          storing.push(services.files.put(tenantId, raw, 'message/rfc822').then((sha256) => ({ uid, sha256, messageId: rawMessageId(raw), size: raw.byteLength })));
        }
        const fetched = await Promise.all(storing);
        // One transaction per chunk: the rows (unique per tenant and dedup key) and the new last UID commit together.
        const inserted = await scope.db.transaction().execute(async (trx) => {
          const inTrx = scope.withDb(trx);
          let count = 0;
          for (const message of fetched) {
            const insert = await inTrx.insertInto('helpdesk_mails', {
              mailbox_id: mailbox.id, dedup_key: message.messageId ?? `sha256:${message.sha256}`, message_id: message.messageId, imap_uid: message.uid,
              raw_sha256: message.sha256, size: message.size, status: 'pending', claim: null, claimed_at: null, from_address: null, from_name: null, subject: null,
              sent_at: null, in_reply_to: null, reference_ids: null, body_text: null, body_html: null, auto_kind: null, note: null, ticket_id: null,
              article_id: null, discarded_at: null, discarded_by: null,
            }).onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing()).executeTakeFirst();
            count += Number(insert.numInsertedOrUpdatedRows ?? 0);
          }
          const highest = Math.max(0, ...fetched.map((m) => m.uid));
          if (highest) await inTrx.updateTable('helpdesk_mailboxes').set({ last_uid: highest }).where('id', '=', mailbox.id).where('last_uid', '<', highest).execute();
          return count;
        });
        result.stored += inserted;
        result.duplicates += fetched.length - inserted;
        if (inserted) options.onCommitted?.();
        const committed = fetched.map((m) => m.uid);
        // Only what committed is marked on the server.
        if (committed.length) await client.messageFlagsAdd(committed.join(','), ['\\Seen'], { uid: true });
      }
    } finally {
      lock.release();
    }
    await scope.updateTable('helpdesk_mailboxes').set({ last_checked_at: services.clock().toISOString(), last_error: null }).where('id', '=', mailbox.id).execute();
    await client.logout();
    return result;
  } catch (error) {
    client.close();
    const message = error instanceof Error ? error.message : String(error);
    await scope.updateTable('helpdesk_mailboxes').set({ last_checked_at: services.clock().toISOString(), last_error: message.slice(0, 500) }).where('id', '=', mailbox.id).execute();
    throw error;
  }
}
