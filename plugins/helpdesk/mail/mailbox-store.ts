import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../../core/plugin-api.js';
import { helpdeskScope, type FilterRuleKind, type ImapTls } from '../helpdesk-db.js';
import type { SecretBox } from './secret-box.js';

export const IMAP_TLS_MODES: readonly ImapTls[] = ['tls', 'starttls', 'none'];
export const RULE_KINDS: readonly FilterRuleKind[] = ['address', 'domain', 'anyone'];

/** A mailbox as the admin form and the CLI enter it; message keys as error texts. */
export const mailboxInputSchema = z.object({
  name: z.string().trim().min(1, 'validation.required').max(80),
  imap_host: z.string().trim().min(1, 'validation.required').max(200).regex(/^[A-Za-z0-9.:[\]-]+$/, 'helpdesk.invalidHost'),
  imap_port: z.coerce.number({ error: 'helpdesk.invalidPort' }).int('helpdesk.invalidPort').min(1, 'helpdesk.invalidPort').max(65535, 'helpdesk.invalidPort'),
  imap_tls: z.enum(['tls', 'starttls', 'none'], { error: 'validation.choice' }),
  imap_user: z.string().trim().min(1, 'validation.required').max(200),
  /** Empty on edit keeps the stored password. */
  imap_password: z.string().max(500).default(''),
  imap_folder: z.string().trim().min(1, 'validation.required').max(200).default('INBOX'),
  smtp_url: z.string().trim().max(500).refine((value) => value === '' || /^smtps?:\/\/[^\s]+$/.test(value), 'helpdesk.invalidSmtp').default(''),
  from_address: z.email('validation.email').max(200),
  from_name: z.string().trim().max(80).default(''),
  active: z.union([z.literal('1'), z.literal('0'), z.boolean()]).transform((value) => value === true || value === '1').default(true),
});
export type MailboxInput = z.infer<typeof mailboxInputSchema>;

export const ruleInputSchema = z.object({
  kind: z.enum(['address', 'domain', 'anyone'], { error: 'validation.choice' }),
  value: z.string().trim().max(200).default(''),
  organisation_id: z.coerce.number().int().positive().optional().or(z.literal('').transform(() => undefined)),
  group_id: z.coerce.number().int().positive().optional().or(z.literal('').transform(() => undefined)),
  priority: z.coerce.number().int().min(1).max(4).optional().or(z.literal('').transform(() => undefined)),
  category: z.string().trim().max(80).default(''),
}).superRefine((rule, ctx) => {
  if (rule.kind === 'address' && !z.email().safeParse(rule.value).success) ctx.addIssue({ code: 'custom', path: ['value'], message: 'validation.email' });
  if (rule.kind === 'domain' && !/^@?[a-z0-9.-]+\.[a-z]{2,}$/i.test(rule.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'helpdesk.invalidDomain' });
});
export type RuleInput = z.infer<typeof ruleInputSchema>;

/** What the importer needs of a mailbox, with its credentials decrypted. */
export interface MailboxConnection {
  id: number;
  tenantId: number;
  host: string;
  port: number;
  tls: ImapTls;
  user: string;
  password: string;
  folder: string;
}

export class MailboxStoreError extends Error {}

/** Mailboxes and their filter rules of one tenant; passwords and SMTP URLs are sealed at rest. */
export function createMailboxStore(coreDb: Kysely<DB>, tenantId: number, box: SecretBox) {
  const scope = helpdeskScope(coreDb, tenantId);
  const mailboxes = () => scope.selectFrom('helpdesk_mailboxes');

  return {
    async list() {
      return mailboxes().select(['id', 'name', 'imap_host', 'imap_port', 'imap_tls', 'imap_user', 'imap_folder', 'from_address', 'from_name', 'active', 'smtp_url', 'last_uid', 'last_checked_at', 'last_error'])
        .orderBy('id').execute();
    },

    async get(id: number) {
      return mailboxes().selectAll().where('id', '=', id).executeTakeFirst();
    },

    async create(input: MailboxInput): Promise<number> {
      if (!input.imap_password) throw new MailboxStoreError('imap_password');
      const row = await scope.insertInto('helpdesk_mailboxes', {
        name: input.name, imap_host: input.imap_host, imap_port: input.imap_port, imap_tls: input.imap_tls,
        imap_user: input.imap_user, imap_password: box.seal(input.imap_password), imap_folder: input.imap_folder,
        smtp_url: input.smtp_url ? box.seal(input.smtp_url) : null, from_address: input.from_address.toLowerCase(), from_name: input.from_name || null,
        active: input.active ? 1 : 0, uid_validity: null, last_uid: 0, last_checked_at: null, last_error: null,
      }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },

    async update(id: number, input: MailboxInput): Promise<boolean> {
      const current = await this.get(id);
      if (!current) return false;
      // Another server or folder is another UID space: start over (Message-IDs still prevent doubles).
      const moved = current.imap_host !== input.imap_host || current.imap_user !== input.imap_user || current.imap_folder !== input.imap_folder;
      await scope.updateTable('helpdesk_mailboxes').set({
        name: input.name, imap_host: input.imap_host, imap_port: input.imap_port, imap_tls: input.imap_tls, imap_user: input.imap_user,
        ...(input.imap_password ? { imap_password: box.seal(input.imap_password) } : {}),
        imap_folder: input.imap_folder, smtp_url: input.smtp_url ? box.seal(input.smtp_url) : null,
        from_address: input.from_address.toLowerCase(), from_name: input.from_name || null, active: input.active ? 1 : 0,
        ...(moved ? { uid_validity: null, last_uid: 0 } : {}),
      }).where('id', '=', id).execute();
      return true;
    },

    async remove(id: number): Promise<boolean> {
      const result = await scope.deleteFrom('helpdesk_mailboxes').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    connection(row: { id: number; imap_host: string; imap_port: number; imap_tls: ImapTls; imap_user: string; imap_password: string; imap_folder: string }): MailboxConnection {
      return { id: row.id, tenantId, host: row.imap_host, port: row.imap_port, tls: row.imap_tls, user: row.imap_user, password: box.open(row.imap_password), folder: row.imap_folder };
    },

    smtpUrl(row: { smtp_url: string | null }): string | undefined {
      return row.smtp_url ? box.open(row.smtp_url) : undefined;
    },

    async rules(mailboxId: number) {
      return scope.selectFrom('helpdesk_filter_rules').selectAll().where('mailbox_id', '=', mailboxId).orderBy('id').execute();
    },

    async addRule(mailboxId: number, input: RuleInput): Promise<number> {
      const row = await scope.insertInto('helpdesk_filter_rules', {
        mailbox_id: mailboxId, kind: input.kind, value: input.kind === 'anyone' ? '' : input.value.toLowerCase().replace(/^@/, ''),
        organisation_id: input.organisation_id ?? null, group_id: input.group_id ?? null, priority: input.priority ?? null, category: input.category || null,
      }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },

    async removeRule(mailboxId: number, ruleId: number): Promise<boolean> {
      const result = await scope.deleteFrom('helpdesk_filter_rules').where('mailbox_id', '=', mailboxId).where('id', '=', ruleId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}
export type MailboxStore = ReturnType<typeof createMailboxStore>;

/** `imap[s]://user:password@host[:port]/Folder[?tls=none|starttls]` as the CLI takes it. */
export function mailboxFromUrl(url: string): Pick<MailboxInput, 'imap_host' | 'imap_port' | 'imap_tls' | 'imap_user' | 'imap_password' | 'imap_folder'> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MailboxStoreError(`"${url}" is not a URL (imap://user:password@host:port/INBOX)`);
  }
  if (parsed.protocol !== 'imap:' && parsed.protocol !== 'imaps:') throw new MailboxStoreError('the IMAP URL must start with imap:// or imaps://');
  const tlsParam = parsed.searchParams.get('tls');
  if (tlsParam && !IMAP_TLS_MODES.includes(tlsParam as ImapTls)) throw new MailboxStoreError('?tls= must be tls, starttls or none');
  const tls: ImapTls = parsed.protocol === 'imaps:' ? 'tls' : (tlsParam as ImapTls | null) ?? 'starttls';
  if (!parsed.username || !parsed.password) throw new MailboxStoreError('the IMAP URL needs user and password (imap://user:password@host)');
  const folder = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'INBOX';
  return {
    imap_host: parsed.hostname.replace(/^\[|\]$/g, ''), imap_port: parsed.port ? Number(parsed.port) : tls === 'tls' ? 993 : 143, imap_tls: tls,
    imap_user: decodeURIComponent(parsed.username), imap_password: decodeURIComponent(parsed.password), imap_folder: folder,
  };
}
