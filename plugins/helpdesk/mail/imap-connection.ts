import { createRequire } from 'node:module';
import type { ImapFlow } from 'imapflow';
import type { MailboxConnection } from './mailbox-store.js';

// Loaded on the first connection, not at start: imapflow and its MIME stack cost ~0.4 s to import.
const require = createRequire(import.meta.url);
let imapFlowClass: typeof ImapFlow | undefined;

/** Opens an IMAP connection for a mailbox; the caller logs out (or closes) it. */
export function imapClient(mailbox: MailboxConnection, options: { timeoutMs?: number } = {}): ImapFlow {
  const timeout = options.timeoutMs ?? 15_000;
  imapFlowClass ??= (require('imapflow') as { ImapFlow: typeof ImapFlow }).ImapFlow;
  return new imapFlowClass({
    host: mailbox.host,
    port: mailbox.port,
    secure: mailbox.tls === 'tls',
    // 'starttls' insists on the upgrade; 'none' never tries it.
    doSTARTTLS: mailbox.tls === 'starttls' ? true : mailbox.tls === 'none' ? false : undefined,
    auth: { user: mailbox.user, pass: mailbox.password },
    logger: false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: 5 * 60_000,
    disableAutoIdle: true,
    emitLogs: false,
  });
}

/** Where a connection test stopped: the admin page says exactly this. */
export type ConnectionStage = 'dns' | 'connect' | 'tls' | 'auth' | 'folder' | 'other';
export type ConnectionReport =
  | { ok: true; messages: number; idle: boolean; uidValidity: string }
  | { ok: false; stage: ConnectionStage; detail: string };

interface ErrorLike { code?: string; message?: string; authenticationFailed?: boolean; tlsFailed?: boolean; mailboxMissing?: boolean; responseText?: string; serverResponseCode?: string }

/** Names the step that failed from what ImapFlow and Node report. */
export function classifyImapError(error: unknown): { stage: ConnectionStage; detail: string } {
  const e = (error ?? {}) as ErrorLike;
  const detail = (e.responseText || e.message || String(error)).slice(0, 300);
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return { stage: 'dns', detail };
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') return { stage: 'auth', detail };
  if (e.tlsFailed || /tls|ssl|certificate|STARTTLS|wrong version number/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) return { stage: 'tls', detail };
  if (e.mailboxMissing) return { stage: 'folder', detail };
  if (['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'NoConnection', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS'].includes(e.code ?? '')) return { stage: 'connect', detail };
  return { stage: 'other', detail };
}

/** Connects, signs in and opens the folder, saying which step failed. */
export async function testConnection(mailbox: MailboxConnection, timeoutMs = 10_000): Promise<ConnectionReport> {
  const client = imapClient(mailbox, { timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    client.close();
    return { ok: false, ...classifyImapError(error) };
  }
  try {
    const opened = await client.mailboxOpen(mailbox.folder, { readOnly: true });
    const report: ConnectionReport = { ok: true, messages: opened.exists, idle: client.capabilities.has('IDLE'), uidValidity: String(opened.uidValidity) };
    await client.logout();
    return report;
  } catch (error) {
    client.close();
    const classified = classifyImapError(error);
    return { ok: false, stage: classified.stage === 'other' ? 'folder' : classified.stage, detail: classified.detail };
  }
}
