import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { notificationText } from './notification-text.js';

/**
 * A notification is rendered when it is read, in the reader's current language: written by a German agent,
 * an English colleague reads it in English, and in German once they switch (issue 18 point 9).
 */
describe.each(dialects)('notifications in the reader\'s language on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let anna: string;
  let bert: string;
  let bertId: number;
  let number: string;

  const post = (path: string, values: Record<string, string>, cookie: string) => app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie });
  const list = async (cookie: string) => (await app.request('/t/acme/desk/notifications', { cookie })).text();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    const annaId = await app.createStaff(acme, 'agent', 'anna@acme.test');
    bertId = await app.createStaff(acme, 'agent', 'bert@acme.test');
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('id', '=', annaId).execute();
    await app.services.db.updateTable('users').set({ locale: 'en', notify_by_mail: 1 }).where('id', '=', bertId).execute();
    anna = await app.signIn('anna@acme.test', 'acme');
    bert = await app.signIn('bert@acme.test', 'acme');
    const created = await post('/t/acme/desk/tickets/new', { subject: 'Drucker brennt', description: 'd', priority: '3', channel: 'phone', new_person_name: 'Paula Huber' }, anna);
    expect(created.status).toBe(303);
    number = created.headers.get('Location')!.split('/').pop()!;
  });
  afterAll(() => app.cleanup());

  it('shows a German agent\'s mention to an English reader in English, in the list, the toast-free bell list and the mail', async () => {
    const noted = await post(`/t/acme/desk/tickets/${number}/articles`, { kind: 'note', body: 'Bitte ansehen @bert' }, anna);
    expect(noted.status).toBe(303);
    const [row] = await tenantScope(app.services.db, acme).selectFrom('notifications').select(['summary', 'message', 'kind']).where('user_id', '=', bertId).execute();
    // Written in the writer's language, kept as key and parameters.
    expect(row).toMatchObject({ kind: 'mention', summary: `Sie wurden in ${number} erwähnt: Drucker brennt` });
    expect(JSON.parse(row!.message!)).toEqual({ key: 'notification.mention', params: { number, subject: 'Drucker brennt' } });
    const english = await list(bert);
    expect(english).toContain(`You were mentioned on ${number}: Drucker brennt`);
    expect(english).not.toContain('Sie wurden in');
    const mail = await app.services.db.selectFrom('mail_outbox').select(['text_body']).where('to_address', '=', 'bert@acme.test').executeTakeFirstOrThrow();
    expect(mail.text_body).toBe(`You were mentioned on ${number}: Drucker brennt`);
  });

  it('follows the reader when they switch their language', async () => {
    const switched = await post('/t/acme/locale', { locale: 'de' }, bert);
    expect(switched.status).toBeLessThan(400);
    const german = await list(bert);
    expect(german).toContain(`Sie wurden in ${number} erwähnt: Drucker brennt`);
    expect(german).not.toContain('You were mentioned');
    await post('/t/acme/locale', { locale: 'en' }, bert);
    expect(await list(bert)).toContain(`You were mentioned on ${number}: Drucker brennt`);
  });

  it('keeps rows from before (no message) readable with the line they were written with', async () => {
    const ticket = await tenantScope(app.services.db, acme).selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirstOrThrow();
    await tenantScope(app.services.db, acme).insertInto('notifications', {
      user_id: bertId, ticket_id: ticket.id, kind: 'assigned', actor_label: 'anna', summary: 'Alte Zeile ohne Schlüssel', created_at: new Date().toISOString(),
    }).execute();
    expect(await list(bert)).toContain('Alte Zeile ohne Schlüssel');
  });

  it('falls back to the stored line for an unknown key or a broken message, and translates key parameters', () => {
    const t = app.services.catalog.translator('en');
    const known = (key: string) => app.services.catalog.has(key);
    expect(notificationText({ summary: 'kept', message: JSON.stringify({ key: 'gone.plugin.key', params: {} }) }, t, known)).toBe('kept');
    expect(notificationText({ summary: 'kept', message: '{not json' }, t, known)).toBe('kept');
    expect(notificationText({ summary: 'kept', message: JSON.stringify({ key: 'notification.mention', params: { number: 'X-1', subject: { key: 'nav.admin' } } }) }, t, known))
      .toBe(`You were mentioned on X-1: ${t('nav.admin')}`);
  });
});
