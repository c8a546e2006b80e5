import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../../core/plugin-api.js';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { helpdeskPlugin } from '../index.js';
import { createMailboxStore } from './mailbox-store.js';
import { createSecretBox } from './secret-box.js';

/** Mailbox rules name a customer with the organisation picker: any of thousands, only the tenant's own. */
describe.each(dialects)('mailbox rule customer picker on %s', (dialect) => {
  let app: TestApp;
  let acmeId: number;
  let admin: string;
  let mailboxId: number;
  let org501: number;
  let otherOrg: number;

  const store = () => createMailboxStore(app.services.db, acmeId, createSecretBox(app.services.config.secret));
  const addRule = (values: Record<string, string>) => app.request(`/t/acme/p/helpdesk/mailboxes/${mailboxId}/rules`, {
    method: 'POST', cookie: admin, body: new URLSearchParams({ kind: 'domain', value: 'apex.test', group_id: '', priority: '', category: '', ...values }),
  });

  beforeAll(async () => {
    app = await createTestApp(dialect, [helpdeskPlugin]);
    acmeId = (await app.createTenant('acme')).id;
    const other = (await app.createTenant('other')).id;
    for (const id of [acmeId, other]) await enablePlugin(app.services.db, app.services.registry, id, 'helpdesk');
    await app.createStaff(acmeId, 'admin', 'admin@acme.test');
    admin = await app.signIn('admin@acme.test', 'acme');
    const row = (name: string) => ({ name, number: null, email_domains: '', phone: null, address: null, notes: null });
    const scope = tenantScope(app.services.db, acmeId);
    await scope.insertInto('organisations', Array.from({ length: 600 }, (_, i) => row(`Apex ${String(i + 1).padStart(4, '0')}`))).execute();
    org501 = (await scope.selectFrom('organisations').select('id').where('name', '=', 'Apex 0501').executeTakeFirstOrThrow()).id;
    otherOrg = (await tenantScope(app.services.db, other).insertInto('organisations', row('Apex Other Tenant')).returning('id').executeTakeFirstOrThrow()).id;
    mailboxId = await store().create({ name: 'Support', imap_host: 'imap.acme.test', imap_port: 993, imap_tls: 'tls', imap_user: 'u', imap_password: 'p', imap_folder: 'INBOX', smtp_url: '', from_address: 'support@acme.test', from_name: '', active: true });
  });
  afterAll(() => app.cleanup());

  it('offers the picker instead of a select of every customer, and adds a rule for the 501st', async () => {
    const page = await (await app.request(`/t/acme/p/helpdesk/mailboxes/${mailboxId}`, { cookie: admin })).text();
    expect(page).toContain('role="combobox"');
    expect(page).not.toMatch(/<option[^>]*>Apex 0001<\/option>/);
    expect((await addRule({ organisation_id: String(org501) })).status).toBe(303);
    expect((await store().rules(mailboxId)).map((r) => r.organisation_id)).toEqual([org501]);
    const after = await (await app.request(`/t/acme/p/helpdesk/mailboxes/${mailboxId}`, { cookie: admin })).text();
    expect(after).toContain('<td>Apex 0501</td>');
  });

  it('resolves a typed name without JavaScript and refuses another tenant\'s customer', async () => {
    expect((await addRule({ organisation_id: '', organisation_id_text: 'apex 0600' })).status).toBe(303);
    const apex600 = (await tenantScope(app.services.db, acmeId).selectFrom('organisations').select('id').where('name', '=', 'Apex 0600').executeTakeFirstOrThrow()).id;
    expect((await store().rules(mailboxId)).map((r) => r.organisation_id)).toEqual([org501, apex600]);
    const several = await addRule({ organisation_id: '', organisation_id_text: 'apex 05' });
    expect(several.status).toBe(422);
    expect(await several.text()).toContain('Several customers match “apex 05”');
    expect((await addRule({ organisation_id: String(otherOrg) })).status).toBe(422);
    expect((await addRule({ organisation_id: '', organisation_id_text: 'Apex Other Tenant' })).status).toBe(422);
    expect((await store().rules(mailboxId))).toHaveLength(2);
  });
});
