import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { apiRouteList } from './api-routes.js';

interface ErrorBody { error: { code: string; message: string; fields: Record<string, string> } }
interface Attachment { id: number; article_id: number | null; filename: string; mime_type: string; size: number; download_url: string }

const documented = <T>(operationId: string, json: unknown) => apiRouteList.find((r) => r.operationId === operationId)!.response.parse(json) as T;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe.each(dialects)('ticket attachments over the API on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let token: string;
  let globexToken: string;
  let number: string;
  let globexNumber: string;

  const bearer = (t = token) => ({ Authorization: `Bearer ${t}` });
  const multipart = (fields: Record<string, string>, files: Array<{ name: string; bytes: Uint8Array<ArrayBuffer> | string; field?: string }>) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    for (const file of files) form.append(file.field ?? 'attachments', new File([file.bytes], file.name));
    return form;
  };
  const post = (path: string, body: FormData, t = token) => app.request(path, { method: 'POST', headers: bearer(t), body });
  const articleCount = async () => Number((await tenantScope(app.database.db, acme).selectFrom('ticket_articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    token = (await createApiToken(app.database.db, { tenantId: acme, userId: await app.createStaff(acme, 'agent', 'agent@acme.test'), name: 'x' })).token;
    globexToken = (await createApiToken(app.database.db, { tenantId: globex, userId: await app.createStaff(globex, 'agent', 'agent@globex.test'), name: 'x' })).token;
    const open = async (slug: string, t: string) => {
      const response = await app.request(`/t/${slug}/api/v1/tickets`, { method: 'POST', headers: { ...bearer(t), 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: 'Scanner', body: 'Scans are striped.' }) });
      return (await response.json() as { data: { number: string } }).data.number;
    };
    number = await open('acme', token);
    globexNumber = await open('globex', globexToken);
    while (globexNumber !== number) globexNumber = await open('globex', globexToken);
  });
  afterAll(() => app.cleanup());

  it('adds a note with files as multipart/form-data; the ticket lists them with a download URL that serves the bytes as a download', async () => {
    const response = await post(`/t/acme/api/v1/tickets/${number}/articles`, multipart({ kind: 'note', body: 'Scans attached', status_after: '' }, [
      { name: 'scan.png', bytes: PNG }, { name: 'C:\\Users\\x\\notes <1>.txt', bytes: 'streaks on the left\n' },
    ]));
    expect(response.status, await response.clone().text()).toBe(201);
    const created = documented<{ data: { kind: string; body: string; attachments: Attachment[] }; ticket: { status: string } }>('addArticle', await response.json());
    expect(created.data).toMatchObject({ kind: 'note', body: 'Scans attached' });
    expect(created.data.attachments.map((a) => [a.filename, a.mime_type, a.size])).toEqual([['scan.png', 'image/png', PNG.byteLength], ['notes _1_.txt', 'text/plain', 20]]);

    const ticket = documented<{ data: { attachments: Attachment[] } }>('getTicket', await (await app.request(`/t/acme/api/v1/tickets/${number}`, { headers: bearer() })).json()).data;
    expect(ticket.attachments).toEqual(created.data.attachments);
    const png = ticket.attachments[0]!;
    expect(png.download_url).toBe(`/t/acme/api/v1/tickets/${number}/attachments/${png.id}`);
    const download = await app.request(png.download_url, { headers: bearer() });
    expect(download.status).toBe(200);
    expect(download.headers.get('Content-Type')).toBe('image/png');
    expect(download.headers.get('Content-Disposition')).toBe(`attachment; filename="scan.png"; filename*=UTF-8''scan.png`);
    expect(download.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
    expect((await app.request(png.download_url)).status).toBe(401);
  });

  it('refuses files the desk refuses (type, size, count) and files in other fields with 422 per field; nothing is saved', async () => {
    const before = await articleCount();
    const refusals: Array<[FormData, string, string]> = [
      [multipart({ kind: 'reply', body: 'x' }, [{ name: 'setup.exe', bytes: 'MZ' }]), 'attachments', 'setup.exe'],
      [multipart({ kind: 'reply', body: 'x' }, [{ name: 'huge.pdf', bytes: new Uint8Array(10 * 1024 * 1024 + 1) }]), 'attachments', 'huge.pdf'],
      [multipart({ kind: 'reply', body: 'x' }, Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, bytes: 'x' }))), 'attachments', '10'],
      [multipart({ kind: 'reply', body: 'x' }, [{ name: 'log.txt', bytes: 'x', field: 'body_file' }]), 'body_file', 'attachments'],
      [multipart({ kind: 'customer', body: '' }, [{ name: 'log.txt', bytes: 'x' }]), 'kind', ''],
    ];
    for (const [form, field, mention] of refusals) {
      const response = await post(`/t/acme/api/v1/tickets/${number}/articles`, form);
      expect(response.status).toBe(422);
      const { error } = await response.json() as ErrorBody;
      expect(error.code).toBe('invalid');
      expect(error.fields[field], JSON.stringify(error.fields)).toContain(mention);
    }
    expect(await articleCount()).toBe(before);
    const text = await app.request(`/t/acme/api/v1/tickets/${number}/articles`, { method: 'POST', headers: { ...bearer(), 'Content-Type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    expect((await text.json() as ErrorBody).error.message).toContain('multipart/form-data');
  });

  it('another tenant’s attachments and ticket numbers answer 404; an unknown id is 404', async () => {
    const foreign = await post(`/t/globex/api/v1/tickets/${globexNumber}/articles`, multipart({ kind: 'note', body: 'secret' }, [{ name: 'secret.txt', bytes: 'globex only' }]), globexToken);
    expect(foreign.status).toBe(201);
    const secret = (await foreign.json() as { data: { attachments: Attachment[] } }).data.attachments[0]!;
    const own = (await (await app.request(`/t/acme/api/v1/tickets/${number}`, { headers: bearer() })).json() as { data: { attachments: Attachment[] } }).data.attachments[0]!;
    // The same ticket number in acme is acme's own ticket; globex's attachment id is not on it.
    const attempts = [
      app.request(`/t/acme/api/v1/tickets/${number}/attachments/${secret.id}`, { headers: bearer() }),
      app.request(`/t/acme/api/v1/tickets/2099-999999/attachments/${own.id}`, { headers: bearer() }),
      app.request(`/t/acme/api/v1/tickets/${number}/attachments/999999`, { headers: bearer() }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(404);
      expect((await response.json() as ErrorBody).error.code).toBe('not_found');
    }
    expect((await app.request(`/t/acme/api/v1/tickets/${number}/attachments/abc`, { headers: bearer() })).status).toBe(422);
  });
});
