import { rebuildHotline } from '../statistics/hotline-aggregate.js';
import { saveDirectorySettings } from '../directory/directory-settings.js';
import { rebuildKpiFacts } from '../statistics/kpi-fact-store.js';
import { rebuildTicketCounters } from '../tickets/ticket-counters.js';
import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/password.js';
import type { DB, TicketChannel, TicketStatus } from '../db/schema.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import { enablePlugin } from '../plugin-host/plugin-switches.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { nextTicketNumber } from '../tickets/ticket-number.js';
import { reindexTicket } from '../tickets/ticket-search.js';
import type { Dialect } from '../db/create-database.js';
import { generatePassword } from './generate-password.js';

export interface DemoCredentials {
  slug: string;
  tenantName: string;
  accounts: Array<{ role: string; email: string; password: string }>;
}

const CATEGORIES = ['Hardware', 'Software', 'Netzwerk', 'Zugänge'];

const SUBJECTS: Array<[string, string, string]> = [
  ['Drucker im 2. OG druckt nur leere Seiten', 'Seit heute Morgen kommen aus dem Drucker HP-2OG nur leere Blätter. Toner wurde gestern gewechselt.', 'Hardware'],
  ['VPN-Verbindung bricht alle 10 Minuten ab', 'Im Homeoffice verliere ich regelmäßig die VPN-Verbindung, danach muss ich mich neu anmelden.', 'Netzwerk'],
  ['Neuer Mitarbeiter braucht Zugang zum ERP', 'Frau Yilmaz beginnt am Montag im Einkauf und braucht Zugang zum ERP mit Rolle Einkauf.', 'Zugänge'],
  ['Outlook startet nicht mehr', 'Nach dem letzten Update bleibt Outlook beim Laden des Profils hängen.', 'Software'],
  ['Rechnung 2026-0815 doppelt verschickt', 'Unser Kunde hat die Rechnung zweimal per Mail erhalten. Bitte prüfen.', 'Software'],
  ['Passwort für Lagerterminal zurücksetzen', 'Der Account lager03 ist gesperrt, die Kollegen kommen nicht mehr an das Terminal.', 'Zugänge'],
  ['Bildschirm flackert am Empfang', 'Der Monitor am Empfang flackert seit einer Woche, besonders morgens.', 'Hardware'],
  ['Telefonanlage: Rufumleitung funktioniert nicht', 'Die Rufumleitung auf das Mobiltelefon greift nicht, Anrufer landen in der Mailbox.', 'Netzwerk'],
  ['Freigabe für Projektordner Neubau', 'Bitte das Team Bauleitung auf den Ordner \\\\fs01\\Projekte\\Neubau berechtigen (lesen und schreiben).', 'Zugänge'],
  ['Scanner speichert nicht mehr in den Netzordner', 'Scan-to-Folder meldet "Zugriff verweigert" seit der Passwortänderung.', 'Hardware'],
  ['Laptop sehr langsam nach Windows-Update', 'Seit dem Update braucht mein Laptop 10 Minuten zum Starten.', 'Hardware'],
  ['WLAN im Besprechungsraum 3 fehlt', 'Im Raum 3 gibt es kein WLAN-Signal, Präsentationen sind so nicht möglich.', 'Netzwerk'],
  ['Zertifikat der Webseite läuft ab', 'Der Browser warnt, dass das Zertifikat von shop.example.de in 5 Tagen abläuft.', 'Software'],
  ['Backup-Bericht meldet Fehler', 'Die nächtliche Sicherung des Servers SRV02 endet mit Fehler 0x80070005.', 'Software'],
  ['Zugang zur Zeiterfassung fehlt', 'Ich kann mich seit gestern nicht mehr an der Zeiterfassung anmelden.', 'Zugänge'],
];

const CHANNELS: TicketChannel[] = ['phone', 'mail', 'web', 'mail', 'web', 'phone', 'in_person'];

/** The German demo tenant with staff, a customer with two portal users and ~30 tickets in every state. */
export async function seedDemoTenant(db: Kysely<DB>, dialect: Dialect, registry: PluginRegistry, scryptLogN: number): Promise<DemoCredentials> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password, scryptLogN);
  const tenant = await createTenant(db, { slug: 'demo', name: 'Musterfirma IT-Service', locale: 'de' });
  const scope = tenantScope(db, tenant.id);

  const staff: Array<{ role: 'admin' | 'supervisor' | 'agent'; email: string; name: string }> = [
    { role: 'admin', email: 'admin@demo.tresen.local', name: 'Anna Admin' },
    { role: 'supervisor', email: 'supervisor@demo.tresen.local', name: 'Sven Vorgesetzter' },
    { role: 'agent', email: 'agent1@demo.tresen.local', name: 'Erika Erstlevel' },
    { role: 'agent', email: 'agent2@demo.tresen.local', name: 'Zoran Zweitlevel' },
  ];
  const userIds: number[] = [];
  for (const member of staff) {
    const row = await db.insertInto('users').values({ tenant_id: tenant.id, email: member.email, name: member.name, role: member.role, password_hash: passwordHash })
      .returning('id').executeTakeFirstOrThrow();
    userIds.push(row.id);
  }
  const [, supervisorId, agent1Id, agent2Id] = userIds as [number, number, number, number];

  const groups = await scope.insertInto('support_groups', [
    { name: 'Servicedesk', level: 'first' },
    { name: 'Systemtechnik', level: 'second' },
  ]).returning('id').execute();
  const [firstLevel, secondLevel] = groups.map((g) => g.id) as [number, number];
  await scope.insertInto('group_members', [
    { group_id: firstLevel, user_id: agent1Id },
    { group_id: secondLevel, user_id: agent2Id },
    { group_id: firstLevel, user_id: supervisorId },
    { group_id: secondLevel, user_id: supervisorId },
  ]).execute();

  // The support directory ("Kundendienst"): three colleagues listed, shown to portal users with phone and availability.
  const listedAt = new Date().toISOString();
  await scope.insertInto('directory_profiles', [
    { user_id: supervisorId, listed: 1, job_title: 'Leitung Servicedesk', phone: '+49401234500', mobile: '+491711234500', sip: 'sip:sven@pbx.musterfirma.example', languages: 'de,en', availability: 'available', updated_at: listedAt },
    { user_id: agent1Id, listed: 1, job_title: null, phone: '+49401234501', mobile: null, sip: 'sip:erika@pbx.musterfirma.example', languages: 'de,en,tr', availability: 'busy', updated_at: listedAt },
    { user_id: agent2Id, listed: 1, job_title: 'Netzwerk und Server', phone: '+49401234502', mobile: null, sip: null, languages: 'de', availability: 'away', updated_at: listedAt },
  ]).execute();
  await saveDirectorySettings(db, tenant.id, { phoneCountry: 'DE', portalVisible: true, portalFields: ['photo', 'role', 'languages', 'phone', 'availability'], portalCallback: true }, new Date());

  const organisation = await scope.insertInto('organisations', {
    name: 'Beispiel Logistik GmbH', number: 'K-10001', email_domains: 'beispiel-logistik.de', phone: '+49 40 1234560', address: 'Hafenstraße 12, 20457 Hamburg',
  }).returning('id').executeTakeFirstOrThrow();
  const people = await scope.insertInto('people', [
    { organisation_id: organisation.id, name: 'Klara Kunde', email: 'klara.kunde@beispiel-logistik.de', phone: '+49 40 1234561', portal_role: 'customer', is_org_manager: 1, password_hash: passwordHash },
    { organisation_id: organisation.id, name: 'Bernd Bedarf', email: 'bernd.bedarf@beispiel-logistik.de', phone: '+49 40 1234562', portal_role: 'requester', is_org_manager: 0, password_hash: passwordHash },
  ]).returning(['id', 'name']).execute();
  await scope.insertInto('contracts', {
    organisation_id: organisation.id, name: 'Wartungsvertrag Standard', number: 'V-2026-001', valid_from: '2026-01-01', valid_to: '2027-12-31',
  }).execute();

  await scope.insertInto('ticket_categories', CATEGORIES.map((name, position) => ({ name, position, active: 1 }))).execute();
  await scope.insertInto('ticket_fields', [
    { key: 'inventarnummer', label: 'Inventarnummer', type: 'text', options: '[]', required: 0, categories: JSON.stringify(['Hardware']), position: 1, active: 1 },
    { key: 'betroffene', label: 'Betroffene', type: 'select', options: JSON.stringify(['Einzelner Benutzer', 'Abteilung', 'Ganze Firma']), required: 0, categories: '[]', position: 2, active: 1 },
  ]).execute();
  await scope.insertInto('macros', [
    { user_id: null, name: 'Rückfrage Details', body: 'Guten Tag {{requester.name}},\n\nvielen Dank für Ihre Meldung {{ticket.number}}. Damit wir weiterhelfen können: Seit wann tritt das Problem auf, und wer ist betroffen?\n\nViele Grüße\n{{agent.name}}', article_kind: 'reply', set_status: 'waiting', set_priority: null, set_group_id: null },
    { user_id: null, name: 'Gelöst – bitte bestätigen', body: 'Guten Tag {{requester.name}},\n\nwir haben das Problem behoben. Bitte melden Sie sich, falls es erneut auftritt.\n\nViele Grüße\n{{agent.name}}', article_kind: 'reply', set_status: 'solved', set_priority: null, set_group_id: null },
  ]).execute();

  const statuses: TicketStatus[] = ['new', 'new', 'new', 'new', 'new', 'new', 'open', 'open', 'open', 'open', 'open', 'open', 'open',
    'waiting', 'waiting', 'waiting', 'waiting', 'waiting', 'solved', 'solved', 'solved', 'solved', 'solved', 'solved',
    'closed', 'closed', 'closed', 'closed', 'closed', 'closed'];
  const start = Date.now() - 30 * 24 * 3600 * 1000;
  const names = new Map<number, string>(staff.map((s, i) => [userIds[i]!, s.name]));
  await db.transaction().execute(async (trx) => {
    const trxScope = scope.withDb(trx);
    for (const [index, status] of statuses.entries()) {
      const [subject, description, category] = SUBJECTS[index % SUBJECTS.length]!;
      const created = new Date(start + index * 23 * 3600 * 1000);
      const at = (hours: number) => new Date(created.getTime() + hours * 3600 * 1000).toISOString();
      const inProgress = status !== 'new';
      const secondLevelTicket = index % 3 === 0;
      const assigneeId = inProgress ? (secondLevelTicket ? agent2Id : agent1Id) : null;
      const requester = people[index % 2]!;
      const ticket = await trxScope.insertInto('tickets', {
        number: await nextTicketNumber(trx, tenant.id, created),
        subject,
        description,
        status,
        priority: [2, 2, 3, 1, 4, 2][index % 6]!,
        category,
        channel: CHANNELS[index % CHANNELS.length]!,
        organisation_id: organisation.id,
        requester_id: requester.id,
        assignee_id: assigneeId,
        group_id: secondLevelTicket ? secondLevel : firstLevel,
        custom_fields: JSON.stringify(index % 4 === 0 ? { betroffene: 'Abteilung' } : {}),
        created_at: created.toISOString(),
        updated_at: at(inProgress ? 5 : 0),
        first_response_at: inProgress ? at(1) : null,
        solved_at: status === 'solved' || status === 'closed' ? at(5) : null,
        closed_at: status === 'closed' ? at(5) : null,
      }).returning(['id', 'number']).executeTakeFirstOrThrow();
      const history: Array<{ action: string; field: string | null; old_value: string | null; new_value: string | null; hours: number; userId: number | null }> = [
        { action: 'created', field: 'status', old_value: null, new_value: 'new', hours: 0, userId: null },
      ];
      if (inProgress && assigneeId) {
        const agentName = names.get(assigneeId)!;
        history.push({ action: 'assigned', field: 'assignee_id', old_value: null, new_value: String(assigneeId), hours: 1, userId: assigneeId });
        history.push({ action: 'status', field: 'status', old_value: 'new', new_value: 'open', hours: 1, userId: assigneeId });
        type DemoArticle = { kind: 'reply' | 'note' | 'customer'; author_user_id: number | null; author_person_id: number | null; author_label: string; body_text: string; created_at: string };
        const articles: DemoArticle[] = [
          { kind: 'reply' as const, author_user_id: assigneeId, author_person_id: null, author_label: agentName, body_text: `Guten Tag ${requester.name},\n\nvielen Dank für Ihre Meldung. Wir kümmern uns darum und melden uns in Kürze.\n\nViele Grüße\n${agentName}`, created_at: at(1) },
          { kind: 'note' as const, author_user_id: assigneeId, author_person_id: null, author_label: agentName, body_text: 'Intern: Fernwartung vereinbart, Logdateien liegen im Ticketordner.', created_at: at(2) },
        ];
        if (status === 'waiting') {
          articles.push({ kind: 'reply' as const, author_user_id: assigneeId, author_person_id: null, author_label: agentName, body_text: 'Können Sie uns bitte einen Screenshot der Fehlermeldung schicken?', created_at: at(3) });
          history.push({ action: 'status', field: 'status', old_value: 'open', new_value: 'waiting', hours: 3, userId: assigneeId });
        }
        if (status === 'solved' || status === 'closed') {
          articles.push({ kind: 'customer' as const, author_user_id: null, author_person_id: requester.id, author_label: requester.name, body_text: 'Danke, jetzt funktioniert es wieder.', created_at: at(4) });
          history.push({ action: 'status', field: 'status', old_value: 'open', new_value: 'solved', hours: 5, userId: assigneeId });
        }
        if (status === 'closed') history.push({ action: 'status', field: 'status', old_value: 'solved', new_value: 'closed', hours: 5, userId: supervisorId });
        await trxScope.insertInto('ticket_articles', articles.map((a) => ({ ...a, ticket_id: ticket.id, channel: 'web' as const, body_html: null, message_id: null }))).execute();
      }
      await trxScope.insertInto('ticket_history', history.map((h) => ({
        ticket_id: ticket.id, actor_user_id: h.userId, actor_person_id: null, actor_label: h.userId ? names.get(h.userId)! : requester.name,
        action: h.action, field: h.field, old_value: h.old_value, new_value: h.new_value, note: null, created_at: at(h.hours),
      }))).execute();
      await reindexTicket(trx, dialect, ticket.id);
    }
  });

  // The rows above went past the ticket service: the hotline statistics, the KPI facts and the ticket counters count
  // them afresh (the demo tickets run under no service level: their times are wall-clock time).
  await rebuildHotline(db, dialect, tenant.id, tenant.time_zone, new Date().toISOString());
  await rebuildKpiFacts(db, dialect, tenant.id, tenant.time_zone, undefined, new Date().toISOString());
  await rebuildTicketCounters(db, dialect, tenant.id, new Date().toISOString());
  for (const plugin of registry.plugins) await enablePlugin(db, registry, tenant.id, plugin.id);

  return {
    slug: tenant.slug,
    tenantName: tenant.name,
    accounts: [
      ...staff.map((s) => ({ role: s.role, email: s.email, password })),
      { role: 'portal', email: 'klara.kunde@beispiel-logistik.de', password },
      { role: 'portal', email: 'bernd.bedarf@beispiel-logistik.de', password },
    ],
  };
}
