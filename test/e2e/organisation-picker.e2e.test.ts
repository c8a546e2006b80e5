import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService } from '../../core/tickets/ticket-service.js';
import { PHONE, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm, POLL } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e password 1234';

/** A tenant with 600 customers: the organisation picker on a phone, typed into, driven by keys and by touch. */
describe('organisation picker in a real browser at 390 px', () => {
  let server: TestServer;
  let browser: Browser;
  let tenant: Tenant;
  let tenantUrl: string;
  let number: string;
  let org501: number;
  let page: Page;
  let paula: number;

  const organisationOf = async (ticketNumber: string) =>
    (await tenantScope(server.tresen.services.db, tenant.id).selectFrom('tickets').select('organisation_id').where('number', '=', ticketNumber).executeTakeFirstOrThrow()).organisation_id;

  beforeAll(async () => {
    server = await startTestServer([]);
    const { db, database, clock, events, files, config, catalog } = server.tresen.services;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    const other = await createTenant(db, { slug: 'globex', name: 'Globex', locale: 'en' });
    await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    const row = (name: string) => ({ name, number: null, email_domains: '', phone: null, address: null, notes: null });
    const scope = tenantScope(db, tenant.id);
    await scope.insertInto('organisations', Array.from({ length: 600 }, (_, i) => row(`Apex ${String(i + 1).padStart(4, '0')}`))).execute();
    await tenantScope(db, other.id).insertInto('organisations', row('Apex 0501 of Globex')).execute();
    org501 = (await scope.selectFrom('organisations').select('id').where('name', '=', 'Apex 0501').executeTakeFirstOrThrow()).id;
    paula = (await scope.insertInto('people', { name: 'Paula Apex', email: 'paula@apex.test', organisation_id: org501 }).returning('id').executeTakeFirstOrThrow()).id;
    const first = (await scope.selectFrom('organisations').select('id').where('name', '=', 'Apex 0001').executeTakeFirstOrThrow()).id;
    const service = createTicketService({ db, dialect: database.dialect, clock, events, files }, tenant, catalog.translator('en'));
    const system = { kind: 'system', label: 'test' } as const;
    number = (await service.create({ subject: 'Scanner offline', description: 'The scanner in the hall is offline.', organisationId: first, channel: 'phone' }, system)).number;
    await service.create({ subject: 'Apex 501 cannot print', description: 'Printer queue stuck.', organisationId: org501, channel: 'phone' }, system);
    tenantUrl = `${server.url}/t/acme`;
    browser = await launchBrowser();
    const context = await newContext(browser, { viewport: PHONE });
    page = await context.newPage();
    await signInThroughForm(page, tenantUrl, 'ada@acme.test', PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('filters ticket management by the 501st customer chosen with the keyboard; the URL carries its id', async () => {
    await page.goto(`${tenantUrl}/desk/tickets?queue=all`);
    // On a phone the saved views and the filter are behind one button.
    await page.locator('#list-tools-button').click();
    const input = page.locator('#f-organisation');
    const options = page.locator('#organisation-options [role=option]');
    await input.click();
    await input.pressSequentially('apex 050', { delay: 30 });
    await expect.poll(() => options.allTextContents(), POLL).toEqual(['Apex 0500', 'Apex 0501', 'Apex 0502', 'Apex 0503', 'Apex 0504', 'Apex 0505', 'Apex 0506', 'Apex 0507', 'Apex 0508', 'Apex 0509']);
    await expect.poll(() => input.getAttribute('aria-expanded'), POLL).toBe('true');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => input.getAttribute('aria-activedescendant'), POLL).toBe(`organisation-options-${org501}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('organisation'), POLL).toBe(String(org501));
    await expect.poll(() => page.locator('[data-ticket-row] .ticket-link').allTextContents(), POLL).toEqual(['Apex 501 cannot print']);
    expect(await input.inputValue()).toBe('Apex 0501');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    // Typed text alone is never sent (only the id): the address has no organisation_text.
    expect(new URL(page.url()).searchParams.has('organisation_text')).toBe(false);

    // The shared address opens with the customer's name in the picker (the button says a filter is set).
    await page.goto(page.url());
    await expect.poll(() => page.locator('#list-tools-button').textContent(), POLL).toBe('Views and filters · 1 set');
    await page.locator('#list-tools-button').click();
    await expect.poll(() => page.locator('#f-organisation').inputValue(), POLL).toBe('Apex 0501');
    await expect.poll(() => page.locator('[data-ticket-row]').count(), POLL).toBe(1);

    // Emptying the field and leaving it removes the filter.
    await page.locator('#f-organisation').fill('');
    await page.locator('#f-q').focus();
    await expect.poll(() => page.locator('[data-ticket-row]').count(), POLL).toBe(2);
    // No organisation filter in the address: the parameter empty or gone (which of the form's requests set the URL last varies).
    await expect.poll(() => new URL(page.url()).searchParams.get('organisation') ?? '', POLL).toBe('');
  });

  it('never offers another tenant\'s customer; Escape closes the list and the choice stays', async () => {
    await page.goto(`${tenantUrl}/desk/tickets?queue=all&organisation=${org501}`);
    await page.locator('#list-tools-button').click();
    const input = page.locator('#f-organisation');
    await input.click();
    await input.fill('');
    await input.pressSequentially('apex 0501', { delay: 30 });
    const options = page.locator('#organisation-options [role=option]');
    await expect.poll(() => options.allTextContents(), POLL).toEqual(['Apex 0501']);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#organisation-options').isHidden(), POLL).toBe(true);
    await page.locator('#f-q').focus();
    // Leaving with unpicked text shows the chosen name again.
    await expect.poll(() => input.inputValue(), POLL).toBe('Apex 0501');
  });

  it('sets the 501st customer on the ticket page by touch and saves it', async () => {
    await page.goto(`${tenantUrl}/desk/tickets/${number}`);
    const input = page.locator('#f-organisation_id');
    await expect.poll(() => input.inputValue(), POLL).toBe('Apex 0001');
    await input.fill('');
    await input.pressSequentially('0501', { delay: 30 });
    const option = page.locator('#organisation_id-options [role=option]', { hasText: 'Apex 0501' });
    await option.waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await option.click();
    await expect.poll(() => page.locator('input[name=organisation_id]').inputValue(), POLL).toBe(String(org501));
    await expect.poll(() => input.inputValue(), POLL).toBe('Apex 0501');
    await page.locator('#fields-save').click();
    await expect.poll(() => organisationOf(number), POLL).toBe(org501);
    await expect.poll(() => page.locator('#fact-organisation').textContent(), POLL).toContain('Apex 0501');
  });

  it('picks the phone ticket\'s caller with the same keys (the people lookup is a combobox too)', async () => {
    await page.goto(`${tenantUrl}/desk/tickets/new`);
    const input = page.locator('#f-lookup');
    await input.click();
    await input.pressSequentially('paula', { delay: 30 });
    await expect.poll(() => page.locator('#lookup-results [role=option]').allTextContents(), POLL).toEqual([expect.stringContaining('Paula Apex')]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-picked]').textContent(), POLL).toContain('Paula Apex');
    expect(await page.locator('input[name=requester_id]').inputValue()).toBe(String(paula));
    expect(await page.locator('input[name=organisation_id]').inputValue()).toBe(String(org501));
    // Enter picked; it did not submit the form.
    expect(new URL(page.url()).pathname).toBe('/t/acme/desk/tickets/new');
    expect(await page.locator('.field-error').count()).toBe(0);
    expect(await hasHorizontalScroll(page)).toBe(false);
  });
});
