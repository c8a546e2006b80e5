import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/password.js';
import type { DB, TicketChannel, TicketStatus } from '../db/schema.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import { enablePlugin } from '../plugin-host/plugin-switches.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { nextTicketNumber } from '../tickets/ticket-number.js';
import { generatePassword } from './first-start.js';

export interface DemoCredentials {
  slug: string;
  tenantName: string;
  accounts: Array<{ role: string; email: string; password: string }>;
}

const SUBJECTS: Array<[string, string]> = [
  ['Drucker im 2. OG druckt nur leere Seiten', 'Seit heute Morgen kommen aus dem Drucker HP-2OG nur leere Blätter. Toner wurde gestern gewechselt.'],
  ['VPN-Verbindung bricht alle 10 Minuten ab', 'Im Homeoffice verliere ich regelmäßig die VPN-Verbindung, danach muss ich mich neu anmelden.'],
  ['Neuer Mitarbeiter braucht Zugang zum ERP', 'Frau Yilmaz beginnt am Montag im Einkauf und braucht Zugang zum ERP mit Rolle Einkauf.'],
  ['Outlook startet nicht mehr', 'Nach dem letzten Update bleibt Outlook beim Laden des Profils hängen.'],
  ['Rechnung 2026-0815 doppelt verschickt', 'Unser Kunde hat die Rechnung zweimal per Mail erhalten. Bitte prüfen.'],
  ['Passwort für Lagerterminal zurücksetzen', 'Der Account lager03 ist gesperrt, die Kollegen kommen nicht mehr an das Terminal.'],
  ['Bildschirm flackert am Empfang', 'Der Monitor am Empfang flackert seit einer Woche, besonders morgens.'],
  ['Telefonanlage: Rufumleitung funktioniert nicht', 'Die Rufumleitung auf das Mobiltelefon greift nicht, Anrufer landen in der Mailbox.'],
  ['Freigabe für Projektordner Neubau', 'Bitte das Team Bauleitung auf den Ordner \\\\fs01\\Projekte\\Neubau berechtigen (lesen und schreiben).'],
  ['Scanner speichert nicht mehr in den Netzordner', 'Scan-to-Folder meldet "Zugriff verweigert" seit der Passwortänderung.'],
  ['Laptop sehr langsam nach Windows-Update', 'Seit dem Update braucht mein Laptop 10 Minuten zum Starten.'],
  ['WLAN im Besprechungsraum 3 fehlt', 'Im Raum 3 gibt es kein WLAN-Signal, Präsentationen sind so nicht möglich.'],
  ['Zertifikat der Webseite läuft ab', 'Der Browser warnt, dass das Zertifikat von shop.example.de in 5 Tagen abläuft.'],
  ['Backup-Bericht meldet Fehler', 'Die nächtliche Sicherung des Servers SRV02 endet mit Fehler 0x80070005.'],
  ['Zugang zur Zeiterfassung fehlt', 'Ich kann mich seit gestern nicht mehr an der Zeiterfassung anmelden.'],
];

const CHANNELS: TicketChannel[] = ['phone', 'mail', 'web', 'mail', 'web', 'phone', 'in_person'];

/** The German demo tenant with staff, a customer with two portal users and ~30 tickets in every state. */
export async function seedDemoTenant(db: Kysely<DB>, registry: PluginRegistry, scryptLogN: number): Promise<DemoCredentials> {
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

  const organisation = await scope.insertInto('organisations', {
    name: 'Beispiel Logistik GmbH', number: 'K-10001', email_domains: 'beispiel-logistik.de', phone: '+49 40 1234560', address: 'Hafenstraße 12, 20457 Hamburg',
  }).returning('id').executeTakeFirstOrThrow();
  const people = await scope.insertInto('people', [
    { organisation_id: organisation.id, name: 'Klara Kunde', email: 'klara.kunde@beispiel-logistik.de', phone: '+49 40 1234561', portal_role: 'customer', is_org_manager: 1, password_hash: passwordHash },
    { organisation_id: organisation.id, name: 'Bernd Bedarf', email: 'bernd.bedarf@beispiel-logistik.de', phone: '+49 40 1234562', portal_role: 'requester', is_org_manager: 0, password_hash: passwordHash },
  ]).returning('id').execute();
  await scope.insertInto('contracts', {
    organisation_id: organisation.id, name: 'Wartungsvertrag Standard', number: 'V-2026-001', valid_from: '2026-01-01', valid_to: '2027-12-31',
  }).execute();

  const statuses: TicketStatus[] = ['new', 'new', 'new', 'new', 'new', 'new', 'open', 'open', 'open', 'open', 'open', 'open', 'open',
    'waiting', 'waiting', 'waiting', 'waiting', 'waiting', 'solved', 'solved', 'solved', 'solved', 'solved', 'solved',
    'closed', 'closed', 'closed', 'closed', 'closed', 'closed'];
  const start = Date.now() - 30 * 24 * 3600 * 1000;
  await db.transaction().execute(async (trx) => {
    const trxScope = scope.withDb(trx);
    for (const [index, status] of statuses.entries()) {
      const [subject, description] = SUBJECTS[index % SUBJECTS.length]!;
      const created = new Date(start + index * 23 * 3600 * 1000);
      const updated = new Date(created.getTime() + 5 * 3600 * 1000);
      const inProgress = status !== 'new';
      const secondLevelTicket = index % 3 === 0;
      await trxScope.insertInto('tickets', {
        number: await nextTicketNumber(trx, tenant.id, created),
        subject,
        description,
        status,
        priority: [2, 2, 3, 1, 4, 2][index % 6]!,
        channel: CHANNELS[index % CHANNELS.length]!,
        organisation_id: organisation.id,
        requester_id: people[index % 2]!.id,
        assignee_id: inProgress ? (secondLevelTicket ? agent2Id : agent1Id) : null,
        group_id: secondLevelTicket ? secondLevel : firstLevel,
        created_at: created.toISOString(),
        updated_at: updated.toISOString(),
        first_response_at: inProgress ? new Date(created.getTime() + 3600 * 1000).toISOString() : null,
        solved_at: status === 'solved' || status === 'closed' ? updated.toISOString() : null,
        closed_at: status === 'closed' ? updated.toISOString() : null,
      }).execute();
    }
  });

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
