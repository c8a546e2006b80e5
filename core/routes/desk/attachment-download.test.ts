import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/harness/test-database.js';
import { ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

describe.each(dialects)('attachment download on %s', (dialect) => {
  let f: TicketPageFixture;
  beforeAll(async () => { f = await ticketPageFixture(dialect); });
  afterAll(() => f.app.cleanup());

  const attachmentsOf = (ticketId: number) =>
    f.app.services.db.selectFrom('ticket_attachments').select(['id', 'filename']).where('ticket_id', '=', ticketId).orderBy('id').execute();
  const download = (number: string, id: number, cookie = f.cookies.agent) => f.app.request(`/t/acme/desk/tickets/${number}/attachments/${id}`, { cookie });

  it('serves the stored bytes as a download with the stored type, nosniff and a private cache', async () => {
    const ticket = await f.open('Files', { attachments: [{ filename: 'Bericht (final) 100%.pdf', bytes: new Uint8Array([37, 80, 68, 70]) }, { filename: 'page.html.txt', bytes: new TextEncoder().encode('<script>alert(1)</script>') }] });
    const [pdf, text] = await attachmentsOf(ticket.id);
    const response = await download(ticket.number, pdf!.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/pdf');
    expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="Bericht (final) 100_.pdf"; filename*=UTF-8''Bericht%20%28final%29%20100%25.pdf`);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Cache-Control')).toBe('private');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([37, 80, 68, 70]));
    const html = await download(ticket.number, text!.id);
    expect(html.headers.get('Content-Type')).toBe('text/plain');
    expect(html.headers.get('Content-Disposition')).toMatch(/^attachment;/);
    // The page lists the description's files with their sizes and these links.
    const page = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.agent })).text();
    expect(page).toContain(`href="/t/acme/desk/tickets/${ticket.number}/attachments/${pdf!.id}"`);
    expect(page).toContain('(4 B)');
  });

  it('answers 404 for an attachment of another ticket, of another tenant, or unknown, and for visitors redirects to sign-in', async () => {
    const mine = await f.open('Mine', { attachments: [{ filename: 'a.txt', bytes: new TextEncoder().encode('acme a') }] });
    const other = await f.open('Other', { attachments: [{ filename: 'b.txt', bytes: new TextEncoder().encode('acme b') }] });
    const [otherFile] = await attachmentsOf(other.id);
    expect((await download(mine.number, otherFile!.id)).status).toBe(404);
    const foreign = await f.service(f.globex).create({ subject: 'Globex files', description: 'x', attachments: [{ filename: 'secret.txt', bytes: new TextEncoder().encode('globex secret') }] }, f.system);
    const [foreignFile] = await attachmentsOf(foreign.id);
    for (const number of [mine.number, foreign.number]) {
      const response = await download(number, foreignFile!.id, f.cookies.admin);
      expect(response.status, number).toBe(404);
      expect(await response.text()).not.toContain('globex secret');
    }
    expect((await download(mine.number, 99999999)).status).toBe(404);
    expect((await f.app.request(`/t/acme/desk/tickets/${mine.number}/attachments/${otherFile!.id}`)).status).toBe(303);
  });

  it('answers 404, not 500, when the stored bytes are gone from the disk (a restore without the files)', async () => {
    const ticket = await f.open('Lost file', { attachments: [{ filename: 'lost.txt', bytes: new TextEncoder().encode('bytes that vanish') }] });
    const [file] = await attachmentsOf(ticket.id);
    const stored = await f.app.services.db.selectFrom('ticket_attachments').select('sha256').where('id', '=', file!.id).executeTakeFirstOrThrow();
    const path = join(f.app.services.config.dataDir, 'files', stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256);
    rmSync(path);
    expect((await download(ticket.number, file!.id)).status).toBe(404);
  });
});
