import { randomUUID } from 'node:crypto';
import { checkAttachments, survivorOf, tenantTicketService, type AttachmentInput, type Services, type TenantScope, type Ticket, type TicketActor, type TicketService, type Translate } from '../../../core/plugin-api.js';
import { helpdeskScope, type HelpdeskDB, type HelpdeskFilterRulesTable } from '../helpdesk-db.js';
import { helpdeskSettings, type HelpdeskSettings } from '../settings.js';
import type { Selectable } from 'kysely';
import { noAutoReplyReason } from './loop-guard.js';
import { SettlementLost, writeSettlement, type MailSettlement, type ParsedColumns, type SettlementContext, type StoredPart } from './mail-apply.js';
import type { ParsedMail } from './parsed-mail.js';
import type { ParserPool } from './parser-pool.js';
import { sendConfirmation } from './mail-outgoing.js';
import { cleanSubject, numberInSubject } from './subject-tag.js';

/** A claim older than this belongs to a crashed importer and may be taken over. */
const CLAIM_TTL_MS = 5 * 60_000;
/** Mails claimed (and parsed ahead) at a time. */
const BATCH = 50;

export interface ProcessDeps {
  services: Services;
  settlement: SettlementContext;
  pool: ParserPool;
}

interface Env extends ProcessDeps {
  tenantId: number;
  scope: TenantScope<HelpdeskDB>;
  settings: HelpdeskSettings;
  t: Translate;
  ownAddresses: ReadonlySet<string>;
  tickets: TicketService;
  /** Per run: a mailbox's filter rules and the people found by address (a run sees its own new people: misses are not kept). */
  rules: Map<number, Promise<Array<Selectable<HelpdeskFilterRulesTable>>>>;
  people: Map<string, { id: number; name: string }>;
  /** Open-mail settlements touch no ticket: they commit together, once per batch (see flushOpen). */
  open: MailSettlement[];
}

/** The header block only: enough to show an oversized mail without parsing megabytes. */
function headerBlock(raw: Buffer): Buffer {
  const head = raw.subarray(0, Math.min(raw.byteLength, 512 * 1024));
  const text = head.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end === -1 ? head : head.subarray(0, end + 2);
}

function columnsOf(parsed: ParsedMail | null, extra: Partial<ParsedColumns> = {}): ParsedColumns {
  return {
    from_address: parsed?.from?.address ?? null, from_name: parsed?.from?.name || null, subject: parsed?.subject ?? null, sent_at: parsed?.date ?? null,
    in_reply_to: parsed?.inReplyTo ?? null, reference_ids: parsed?.references.join(' ') || null, body_text: parsed?.text ?? null, body_html: parsed?.html ?? null,
    auto_kind: null, note: null, ...extra,
  };
}

/** Claims up to `limit` mails waiting to be processed (or abandoned by a crashed importer). */
async function claimPending(env: Env, limit: number): Promise<Array<{ id: number; claim: string }>> {
  const now = env.services.clock();
  const stale = new Date(now.getTime() - CLAIM_TTL_MS).toISOString();
  const rows = await env.scope.selectFrom('helpdesk_mails').select('id')
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'processing'), eb('claimed_at', '<', stale)])]))
    .orderBy('id').limit(limit).execute();
  if (rows.length === 0) return [];
  // One statement claims the batch; rows another importer took in between are simply not ours.
  const claim = randomUUID();
  await env.scope.updateTable('helpdesk_mails').set({ status: 'processing', claim, claimed_at: now.toISOString() })
    .where('id', 'in', rows.map((r) => r.id))
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'processing'), eb('claimed_at', '<', stale)])]))
    .execute();
  const mine = await env.scope.selectFrom('helpdesk_mails').select('id').where('claim', '=', claim).orderBy('id').execute();
  const claimed = mine.map(({ id }) => ({ id, claim }));
  return claimed;
}

/** Splits a mail's attachments into those a ticket takes and a note about the rest (the raw mail keeps them all). */
function ticketAttachments(parsed: ParsedMail, t: Translate): { files: AttachmentInput[]; skipped: string[] } {
  const files: AttachmentInput[] = [];
  const skipped: string[] = [];
  for (const attachment of parsed.attachments) {
    const file = { filename: attachment.filename, bytes: attachment.bytes, contentId: attachment.contentId ?? undefined };
    if (files.length < 10 && !checkAttachments([...files, file])) files.push(file);
    else skipped.push(attachment.filename);
  }
  return { files, skipped: skipped.length ? [t('helpdesk.attachmentsSkipped', { names: skipped.join(', ') })] : [] };
}

async function storeParts(env: Env, parsed: ParsedMail): Promise<StoredPart[]> {
  const parts: StoredPart[] = [];
  for (const attachment of parsed.attachments) {
    const sha256 = await env.services.files.put(env.tenantId, attachment.bytes, attachment.contentType);
    parts.push({ sha256, filename: attachment.filename.slice(0, 200), mime_type: attachment.contentType.slice(0, 100), size: attachment.bytes.byteLength, content_id: attachment.contentId });
  }
  return parts;
}

/** The ticket a mail belongs to: our Message-IDs it answers, else the number in its subject. */
async function matchTicket(env: Env, parsed: ParsedMail): Promise<Ticket | undefined> {
  const ids = [...new Set([parsed.inReplyTo, ...parsed.references, parsed.report?.originalMessageId].filter((id): id is string => Boolean(id)))];
  let ticketId: number | undefined;
  if (ids.length) {
    const hit = await env.scope.selectFrom('helpdesk_thread_ids').select('ticket_id').where('message_id', 'in', ids).orderBy('created_at', 'desc').executeTakeFirst();
    ticketId = hit?.ticket_id;
  }
  let query = env.scope.selectFrom('tickets').selectAll().where('deleted_at', 'is', null);
  if (ticketId) return survivor(env, await query.where('id', '=', ticketId).executeTakeFirst());
  const number = numberInSubject(parsed.subject, env.settings.subjectTag);
  if (!number) return undefined;
  query = query.where('number', '=', number);
  return survivor(env, await query.executeTakeFirst());
}

/** A ticket merged into another answers on the survivor (followed across a chain of merges). */
async function survivor(env: Env, ticket: Ticket | undefined): Promise<Ticket | undefined> {
  if (!ticket) return undefined;
  return survivorOf(ticket, (id) => env.scope.selectFrom('tickets').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst());
}

async function matchingRule(env: Env, mailboxId: number | null, address: string) {
  if (!mailboxId) return undefined;
  if (!env.rules.has(mailboxId)) env.rules.set(mailboxId, env.scope.selectFrom('helpdesk_filter_rules').selectAll().where('mailbox_id', '=', mailboxId).orderBy('id').execute());
  const rules = await env.rules.get(mailboxId)!;
  const domain = address.split('@')[1] ?? '';
  // The most specific rule wins: address, then domain, then anyone.
  return rules.find((r) => r.kind === 'address' && r.value === address)
    ?? rules.find((r) => r.kind === 'domain' && (domain === r.value || domain.endsWith(`.${r.value}`)))
    ?? rules.find((r) => r.kind === 'anyone');
}

async function senderActor(env: Env, parsed: ParsedMail): Promise<{ actor: TicketActor; personId: number | null }> {
  const address = parsed.from?.address ?? '';
  const label = parsed.from?.name ? `${parsed.from.name} <${address}>` : address || env.t('helpdesk.unknownSender');
  let person = env.people.get(address);
  if (!person && address) {
    person = await env.scope.selectFrom('people').select(['id', 'name']).where('email', '=', address).orderBy('id').executeTakeFirst();
    if (person) env.people.set(address, person);
  }
  return person ? { actor: { kind: 'person', id: person.id, label: person.name }, personId: person.id } : { actor: { kind: 'system', label: label.slice(0, 200) }, personId: null };
}

/** Queues an open-mail settlement; flushOpen commits the batch's together. */
async function settleOpen(env: Env, settlement: MailSettlement): Promise<void> {
  env.open.push(settlement);
}

/**
 * Commits the queued open-mail settlements in one transaction. They change no ticket, so
 * grouping them keeps exactly-once: a crash before this commit leaves the mails claimed and a
 * later run takes them over. If one claim was lost meanwhile, each is written on its own.
 */
async function flushOpen(env: Env): Promise<void> {
  const queued = env.open.splice(0);
  if (!queued.length) return;
  try {
    await env.services.db.transaction().execute(async (trx) => { for (const settlement of queued) await writeSettlement(trx, settlement, null); });
  } catch (error) {
    if (!(error instanceof SettlementLost)) throw error;
    for (const settlement of queued) {
      await env.services.db.transaction().execute((trx) => writeSettlement(trx, settlement, null)).catch((lost: unknown) => { if (!(lost instanceof SettlementLost)) throw lost; });
    }
  }
}

async function recentMailsOnTicket(env: Env, ticketId: number): Promise<number> {
  const since = new Date(env.services.clock().getTime() - 3600_000).toISOString();
  const row = await env.scope.selectFrom('helpdesk_mails').select((eb) => eb.fn.countAll<number>().as('n')).where('ticket_id', '=', ticketId).where('created_at', '>=', since).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Matches one claimed, parsed mail and settles it: an entry on its ticket, a new ticket, or an open helpdesk mail. */
async function settleParsed(env: Env, mail: { id: number; claim: string; mailbox_id: number | null }, parsed: ParsedMail, stored?: StoredPart[]): Promise<void> {
  const { t } = env;
  const parts = stored ?? await storeParts(env, parsed);
  const autoReason = noAutoReplyReason(parsed, env.ownAddresses);
  const base: MailSettlement = { tenantId: env.tenantId, mailId: mail.id, claim: mail.claim, mailboxId: mail.mailbox_id, status: 'open', columns: columnsOf(parsed, { auto_kind: autoReason }), parts, threadIds: parsed.messageId ? [parsed.messageId] : [] };
  const { tickets } = env;
  const { files, skipped } = ticketAttachments(parsed, t);
  const body = [parsed.text.trim() || (parsed.html ? t('helpdesk.htmlOnly') : t('helpdesk.noText')), ...skipped].join('\n\n');
  const ticket = await matchTicket(env, parsed);

  if (parsed.report) {
    // A bounce never opens a ticket: it becomes a note on the ticket whose mail failed.
    if (!ticket) return settleOpen(env, { ...base, columns: { ...base.columns, auto_kind: 'bounce' } });
    await env.settlement.run({ ...base, status: 'article' }, () => tickets.addArticle(ticket.number, { kind: 'note', channel: 'mail', body: `${t('helpdesk.bounceNote')}\n\n${parsed.report!.summary || parsed.text}`.slice(0, 20_000), messageId: parsed.messageId }, { kind: 'system', label: t('helpdesk.mailChannel') }));
    return;
  }

  if (ticket) {
    if (await recentMailsOnTicket(env, ticket.id) >= env.settings.mailsPerTicketPerHour) {
      return settleOpen(env, { ...base, columns: { ...base.columns, note: t('helpdesk.note.ticketRateLimit', { number: ticket.number }) } });
    }
    const { actor } = await senderActor(env, parsed);
    if (ticket.status === 'closed') {
      if (autoReason) return settleOpen(env, base);
      const settlement: MailSettlement = { ...base, status: 'ticket', previousTicketId: ticket.id };
      const created = await env.settlement.run(settlement, () => tickets.create({
        subject: ticket.subject, description: `${t('helpdesk.followUpOf', { number: ticket.number })}\n\n${body}`, channel: 'mail', priority: ticket.priority,
        organisationId: ticket.organisation_id, requesterId: ticket.requester_id, groupId: ticket.group_id, category: ticket.category, attachments: files,
        ...(ticket.requester_id ? {} : { requesterEmail: parsed.from?.address, requesterName: parsed.from?.name }),
      }, actor));
      await tickets.addArticle(ticket.number, { kind: 'note', body: t('helpdesk.followUpOpened', { number: created.number }) }, { kind: 'system', label: t('helpdesk.mailChannel') })
        .catch((error: unknown) => env.services.log.warn('helpdesk follow-up note failed', { error: String(error) }));
      return;
    }
    // An out-of-office answer must not reopen the ticket: it is kept as an internal note.
    const kind = autoReason && autoReason !== 'own-address' ? 'note' : 'customer';
    await env.settlement.run({ ...base, status: 'article' }, () => tickets.addArticle(ticket.number, {
      kind, channel: 'mail', body, bodyHtml: parsed.html, messageId: parsed.messageId, attachments: files,
    }, kind === 'note' ? { kind: 'system', label: actor.label } : actor));
    return;
  }

  const address = parsed.from?.address ?? '';
  const rule = address && !autoReason ? await matchingRule(env, mail.mailbox_id, address) : undefined;
  if (!rule) return settleOpen(env, base);
  const { actor } = await senderActor(env, parsed);
  const created = await env.settlement.run({ ...base, status: 'ticket' }, () => tickets.create({
    subject: cleanSubject(parsed.subject, env.settings.subjectTag) || t('helpdesk.noSubject'), description: body, channel: 'mail',
    requesterEmail: address, requesterName: parsed.from?.name || undefined, organisationId: rule.organisation_id ?? undefined,
    groupId: rule.group_id ?? undefined, priority: rule.priority ?? undefined, category: rule.category ?? undefined, attachments: files,
  }, actor));
  await sendConfirmation(env.services, { tenantId: env.tenantId, mailboxId: mail.mailbox_id!, ticket: created, to: parsed.replyTo ?? address, inReplyTo: parsed.messageId, settings: env.settings, t });
}

/**
 * Processes the tenant's stored mails: parse (worker pool), match, settle. Every settlement
 * commits with its ticket change; a crash leaves the mail claimed, and after the claim expires
 * another run takes it over. A mail that cannot be parsed or is too large stays an open
 * helpdesk mail with a note: nothing is dropped.
 */
export async function processPendingMails(deps: ProcessDeps, tenantId: number, options: { limit?: number } = {}): Promise<number> {
  const { services } = deps;
  const tenant = await services.tenants.byId(tenantId);
  if (!tenant) return 0;
  const scope = helpdeskScope(services.db, tenantId);
  const mailboxes = await scope.selectFrom('helpdesk_mailboxes').select('from_address').execute();
  const env: Env = {
    ...deps, tenantId, scope,
    settings: helpdeskSettings(await services.tenants.pluginSettings(tenantId, 'helpdesk')),
    t: services.catalog.translator(tenant.locale === 'de' ? 'de' : 'en'),
    ownAddresses: new Set(mailboxes.map((m) => m.from_address.toLowerCase())),
    tickets: await tenantTicketService(services, tenantId), rules: new Map(), people: new Map(), open: [],
  };
  let done = 0;
  const limit = options.limit ?? 200;
  const maxBytes = env.settings.maxMailMegabytes * 1024 * 1024;
  /** Claims a batch and starts parsing it in the pool, so the next batch parses while this one is settled. */
  const nextBatch = async (size: number) => {
    if (size <= 0) return [];
    const claimed = await claimPending(env, size);
    if (claimed.length === 0) return [];
    const rows = await scope.selectFrom('helpdesk_mails').select(['id', 'mailbox_id', 'raw_sha256', 'size']).where('id', 'in', claimed.map((c) => c.id)).execute();
    return claimed.map(({ id, claim }) => {
      const row = rows.find((r) => r.id === id)!;
      const parse = (async () => {
        const file = await services.files.get(tenantId, row.raw_sha256);
        if (!file) return { parsed: null, problem: 'missing' as const };
        if (row.size > maxBytes) return { parsed: await deps.pool.parse(headerBlock(file.bytes)).catch(() => null), problem: 'size' as const };
        try {
          const parsed = await deps.pool.parse(file.bytes);
          // The parts' files are content-addressed: storing them ahead, off the settling path, is harmless.
          return { parsed, parts: await storeParts(env, parsed), problem: null };
        } catch (error) {
          return { parsed: null, problem: error instanceof Error ? error.message : String(error) };
        }
      })();
      // Settled in order later; a rejection here must not go unhandled meanwhile.
      parse.catch(() => {});
      return { id, claim, row, parse };
    });
  };
  let upcoming = nextBatch(Math.min(BATCH, limit));
  for (;;) {
    const batch = await upcoming;
    if (batch.length === 0) break;
    upcoming = nextBatch(Math.min(BATCH, limit - done - batch.length));
    for (const { id, claim, row, parse } of batch) {
      const { parsed, problem, parts } = await parse;
      const mail = { id, claim, mailbox_id: row.mailbox_id };
      try {
        if (problem === 'size') {
          await settleOpen(env, { tenantId, mailId: id, claim, mailboxId: row.mailbox_id, status: 'open', parts: [], threadIds: [],
            columns: columnsOf(parsed ? { ...parsed, text: '', html: null } : null, { note: env.t('helpdesk.note.tooLarge', { size: (row.size / 1024 / 1024).toFixed(1), max: env.settings.maxMailMegabytes }) }) });
        } else if (problem || !parsed) {
          await settleOpen(env, { tenantId, mailId: id, claim, mailboxId: row.mailbox_id, status: 'open', parts: [], threadIds: [], columns: columnsOf(null, { note: env.t('helpdesk.note.unreadable', { reason: String(problem) }) }) });
        } else {
          await settleParsed(env, mail, parsed, parts);
        }
        done++;
      } catch (error) {
        if (error instanceof SettlementLost) continue;
        services.log.warn('helpdesk mail could not be settled; kept as open mail', { tenantId, mail: id, error: error instanceof Error ? error.stack ?? error.message : String(error) });
        // A refused ticket change (e.g. a rule naming a removed category) leaves the mail for an agent.
        await settleOpen(env, { tenantId, mailId: id, claim, mailboxId: row.mailbox_id, status: 'open', parts: [], threadIds: [],
          columns: columnsOf(parsed, { note: env.t('helpdesk.note.failed', { reason: error instanceof Error ? error.message : String(error) }) }) });
      }
    }
    await flushOpen(env);
    if (done >= limit) break;
  }
  // A batch claimed ahead but not reached (limit) is released for the next run.
  const leftover = await upcoming;
  if (leftover.length) {
    await scope.updateTable('helpdesk_mails').set({ status: 'pending', claim: null, claimed_at: null })
      .where('id', 'in', leftover.map((m) => m.id)).where('status', '=', 'processing').where('claim', '=', leftover[0]!.claim).execute();
  }
  return done;
}
