import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';
import { knowledgePlugin } from './index.js';
import type { KnowledgeDB, Visibility } from './knowledge-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const PDF = new Uint8Array(readFileSync(new URL('./fixtures/manual.pdf', import.meta.url)));
const DOCX = new Uint8Array(readFileSync(new URL('./fixtures/checklist.docx', import.meta.url)));
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
const XSS_NAME = '<img src=x onerror=alert(1)>"\';.png';

describe.each(dialects)('knowledge files on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let other: PortalWorld;
  const cookies: Record<string, string | undefined> = {};
  const ids: Record<string, number> = {};
  const files: Record<string, number> = {};

  const db = () => pluginScope<KnowledgeDB>(app.services.db, world.tenant.id);
  const form = (fields: Record<string, string | string[]>, attached: Array<{ name: string; bytes: Uint8Array<ArrayBuffer> | string }>) => {
    const body = new FormData();
    for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
    for (const file of attached) body.append('files', new File([file.bytes], file.name));
    return body;
  };
  const post = (path: string, body: FormData | URLSearchParams, cookie = cookies.staff) => app.request(`/t/${world.slug}/p/knowledge${path}`, { method: 'POST', body, cookie });
  const get = (path: string, cookie?: string) => app.request(`/t/${world.slug}${path}`, { cookie });
  const runJob = async () => {
    const job = app.services.registry.plugins.find((p) => p.id === 'knowledge')!.contributions.jobs.find((j) => j.id === 'knowledge.extract-text')!;
    await job.run({ tenantId: world.tenant.id, payload: {}, db: app.services.db, clock: app.services.clock, services: app.services });
  };
  const fileIds = async (entryId: number) => Object.fromEntries((await db().selectFrom('knowledge_files').select(['id', 'filename']).where('entry_id', '=', entryId).execute()).map((f) => [f.filename, f.id]));

  /** An entry made through the agents' form with its files, then published. */
  const entry = async (title: string, visibility: Visibility, attached: Array<{ name: string; bytes: Uint8Array<ArrayBuffer> | string }>, publish = true, body = `About ${title}.`) => {
    const response = await post('/entries', form({
      kind: 'doc', language: 'en', title, body, visibility, tags: '', translation_of: '', file_tags: 'Handbuch, Manual',
      ...(visibility === 'organisations' ? { organisation_ids: String(world.organisations.acme) } : {}),
    }, attached));
    expect(response.status, await response.clone().text()).toBe(303);
    const id = Number(/\/(\d+)$/.exec(response.headers.get('location')!)![1]);
    if (publish) expect((await post(`/entries/${id}/state`, new URLSearchParams({ state: 'published' }))).status).toBe(303);
    return id;
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), installedPlugin('portal'), knowledgePlugin]);
    world = await portalWorld(app, 'kf-a');
    other = await portalWorld(app, 'kf-b');
    cookies.staff = await app.signIn(world.agentEmail, world.slug);
    cookies.foreignStaff = await app.signIn(other.agentEmail, other.slug);
    cookies.acme = await world.signIn(world.emails.colleague);
    cookies.globex = await world.signIn(world.emails.stranger);
    cookies.anonymous = undefined;
    for (const visibility of ['internal', 'customers', 'organisations', 'public'] as const) {
      ids[visibility] = await entry(`Manual ${visibility}`, visibility, [{ name: 'photo.png', bytes: PNG }, { name: 'manual.pdf', bytes: PDF }]);
      files[visibility] = (await fileIds(ids[visibility]!))['manual.pdf']!;
    }
    ids.draft = await entry('Manual draft', 'public', [{ name: 'manual.pdf', bytes: PDF }], false);
    files.draft = (await fileIds(ids.draft))['manual.pdf']!;
  });
  afterAll(() => app.cleanup());

  it('stores uploaded files with sanitised names and tags; shows images and videos inline, PDFs in the viewer, the rest as downloads', async () => {
    const id = await entry('Media', 'internal', [
      { name: 'C:\\Users\\x\\schema <1>.png', bytes: PNG }, { name: 'clip.mp4', bytes: 'not really a video' }, { name: 'logo.svg', bytes: SVG },
      { name: 'checklist.docx', bytes: DOCX },
    ]);
    const named = await fileIds(id);
    expect(Object.keys(named).sort()).toEqual(['checklist.docx', 'clip.mp4', 'logo.svg', 'schema _1_.png']);
    const html = await (await get(`/p/knowledge/entries/${id}`, cookies.staff)).text();
    const url = (name: string) => `/t/${world.slug}/p/knowledge/entries/${id}/files/${named[name]}`;
    expect(html).toContain(`<img src="${url('schema _1_.png')}"`);
    expect(html).toContain(`<video src="${url('clip.mp4')}" controls`);
    expect(html).not.toContain(`<img src="${url('logo.svg')}"`);
    expect(html).toContain('Handbuch');

    const expectServed = async (name: string, type: string, disposition: 'inline' | 'attachment', query = '') => {
      const response = await get(`${url(name).replace(`/t/${world.slug}`, '')}${query}`, cookies.staff);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toBe(type);
      expect(response.headers.get('Content-Disposition')).toMatch(new RegExp(`^${disposition}; filename=`));
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      return response;
    };
    expect(new Uint8Array(await (await expectServed('schema _1_.png', 'image/png', 'inline')).arrayBuffer())).toEqual(PNG);
    await expectServed('schema _1_.png', 'image/png', 'attachment', '?download=1');
    await expectServed('clip.mp4', 'video/mp4', 'inline');
    await expectServed('logo.svg', 'image/svg+xml', 'attachment');
    await expectServed('checklist.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'attachment');
    const pdf = (await fileIds(ids.internal!))['manual.pdf']!;
    const served = await get(`/p/knowledge/entries/${ids.internal}/files/${pdf}`, cookies.staff);
    expect([served.headers.get('Content-Type'), served.headers.get('Content-Disposition')?.split(';')[0]]).toEqual(['application/pdf', 'inline']);

    // Removing a file: gone from the page and the address.
    expect((await post(`/entries/${id}/files/${named['clip.mp4']}/delete`, new URLSearchParams())).status).toBe(303);
    expect((await get(url('clip.mp4').replace(`/t/${world.slug}`, ''), cookies.staff)).status).toBe(404);
  });

  it('refuses files of a wrong type, too large or too many, and bad file tags, with 422 at the field; nothing is saved', async () => {
    const entries = async () => (await db().selectFrom('knowledge_entries').select('id').execute()).length;
    const before = await entries();
    const cases: Array<[Array<{ name: string; bytes: Uint8Array<ArrayBuffer> | string }>, Record<string, string>, string]> = [
      [[{ name: 'setup.exe', bytes: 'MZ' }], {}, 'This type of file is not accepted'],
      [[{ name: 'huge.mp4', bytes: new Uint8Array(20 * 1024 * 1024 + 1) }], {}, 'A file has at most 20 MB.'],
      [Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, bytes: 'x' })), {}, 'At most 10 files at once.'],
      [[{ name: 'ok.txt', bytes: 'x' }], { file_tags: 'x'.repeat(41) }, 'A tag has at most 40 characters.'],
    ];
    for (const [attached, extra, message] of cases) {
      const response = await post('/entries', form({ kind: 'doc', language: 'en', title: 'Refused upload', body: 'x', visibility: 'internal', ...extra }, attached));
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).toContain('value="Refused upload"');
    }
    expect(await entries()).toBe(before);
    const onPage = await post(`/entries/${ids.internal}/files`, form({}, []));
    expect(onPage.status).toBe(422);
    expect(await onPage.text()).toContain('Choose at least one file.');
    expect((await post(`/entries/${ids.internal}/files`, form({}, [{ name: 'a.exe', bytes: 'MZ' }]))).status).toBe(422);
    expect(Object.keys(await fileIds(ids.internal!)).sort()).toEqual(['manual.pdf', 'photo.png']);
  });

  // Which visibilities' files each viewer may open where: staff on the agents' pages, the others in the portal and help centre.
  const matrix: Record<string, { portal: string[]; help: string[] }> = {
    anonymous: { portal: ['public'], help: ['public'] },
    acme: { portal: ['customers', 'organisations', 'public'], help: ['public'] },
    globex: { portal: ['customers', 'public'], help: ['public'] },
  };
  const all = ['internal', 'customers', 'organisations', 'public', 'draft'];

  it.each(Object.keys(matrix))('visibility matrix for files, %s: portal and help centre serve exactly the files of entries they may see', async (who) => {
    for (const key of all) {
      const portal = await get(`/portal/kb/${ids[key]}/files/${files[key]}`, cookies[who]);
      expect([key, portal.status]).toEqual([key, matrix[who]!.portal.includes(key) ? 200 : 404]);
      const help = await get(`/help/files/${ids[key]}/${files[key]}`, cookies[who]);
      expect([key, help.status]).toEqual([key, matrix[who]!.help.includes(key) ? 200 : 404]);
      if (help.status === 200) expect(help.headers.get('Content-Type')).toBe('application/pdf');
      // Customers never reach the agents' pages.
      expect((await get(`/p/knowledge/entries/${ids[key]}/files/${files[key]}`, cookies[who])).status).not.toBe(200);
    }
    // The entry page lists the file only where the entry is visible.
    const page = await get(`/portal/kb/${ids.customers}`, cookies[who]);
    expect(page.status).toBe(matrix[who]!.portal.includes('customers') ? 200 : 404);
  });

  it('staff open every file of their tenant; another tenant, a wrong entry or a wrong id answers 404', async () => {
    for (const key of all) expect((await get(`/p/knowledge/entries/${ids[key]}/files/${files[key]}`, cookies.staff)).status).toBe(200);
    expect((await get(`/p/knowledge/entries/${ids.public}/files/${files.internal}`, cookies.staff)).status).toBe(404);
    expect((await get(`/p/knowledge/entries/${ids.internal}/files/999999`, cookies.staff)).status).toBe(404);
    const foreign = (path: string) => app.request(`/t/${other.slug}${path}`, { cookie: cookies.foreignStaff });
    expect((await foreign(`/p/knowledge/entries/${ids.public}/files/${files.public}`)).status).toBe(404);
    expect((await foreign(`/portal/kb/${ids.public}/files/${files.public}`)).status).toBe(404);
    expect((await foreign(`/help/files/${ids.public}/${files.public}`)).status).toBe(404);
    expect((await app.request(`/t/${other.slug}/p/knowledge/entries/${ids.public}/files`, { method: 'POST', body: form({}, [{ name: 'a.txt', bytes: 'x' }]), cookie: cookies.foreignStaff })).status).toBe(404);
    expect((await app.request(`/t/${other.slug}/p/knowledge/entries/${ids.public}/files/${files.public}/delete`, { method: 'POST', body: new URLSearchParams(), cookie: cookies.foreignStaff })).status).toBe(404);
    expect(await db().selectFrom('knowledge_files').select('id').where('id', '=', files.public!).executeTakeFirst()).toBeDefined();
  });

  it('extracts the text of PDF and Word files in the job (not on upload) and finds the entry by it, within the viewer\'s visibility; a broken file is marked', async () => {
    const broken = await entry('Broken scan', 'public', [{ name: 'broken.pdf', bytes: '%PDF-1.4 this is not a pdf' }, { name: 'checklist.docx', bytes: DOCX }]);
    const status = async () => Object.fromEntries((await db().selectFrom('knowledge_files').select(['filename', 'entry_id', 'text_status']).execute())
      .filter((f) => f.entry_id === broken || f.entry_id === ids.organisations).map((f) => [`${f.entry_id === broken ? 'broken' : 'org'}:${f.filename}`, f.text_status]));
    const staffHits = async (q: string) => [...new Set((await (await get(`/p/knowledge?q=${encodeURIComponent(q)}`, cookies.staff)).text()).match(/Manual \w+|Broken scan/g) ?? [])];
    const portalHitsRaw = async (q: string, who: string) => (await (await get(`/portal/kb?q=${encodeURIComponent(q)}`, cookies[who])).text()).match(/Manual \w+|Broken scan/g) ?? [];
    const portalHits = async (q: string, who: string) => [...new Set(await portalHitsRaw(q, who))];

    expect(await staffHits('Quarzkalibrierung')).toEqual([]);
    expect((await status())['org:manual.pdf']).toBe('pending');
    while ((await db().selectFrom('knowledge_files').select('id').where('text_status', '=', 'pending').execute()).length) await runJob();
    expect(await status()).toEqual({ 'org:manual.pdf': 'done', 'org:photo.png': 'none', 'broken:broken.pdf': 'failed', 'broken:checklist.docx': 'done' });
    const text = (await db().selectFrom('knowledge_files').select('text').where('id', '=', files.organisations!).executeTakeFirstOrThrow()).text;
    expect(text).toContain('Quarzkalibrierung');

    expect(new Set(await staffHits('quarzkalibrierung'))).toEqual(new Set(['Manual internal', 'Manual customers', 'Manual organisations', 'Manual public', 'Manual draft']));
    expect(new Set(await portalHits('Quarzkalibrierung', 'acme'))).toEqual(new Set(['Manual customers', 'Manual organisations', 'Manual public']));
    expect(new Set(await portalHits('Quarzkalibrierung', 'globex'))).toEqual(new Set(['Manual customers', 'Manual public']));
    expect(await portalHits('Quarzkalibrierung', 'anonymous')).toEqual(['Manual public']);
    // The Word file's text, ß folded like everything else; a file name and its tags are searched too.
    expect(await staffHits('glasfaserspleissbox')).toEqual(['Broken scan']);
    expect(await portalHits('Glasfaserspleißbox', 'anonymous')).toEqual(['Broken scan']);
    // The body still ranks above a file: a word in one entry's body and another's file.
    await entry('Cleaning the head', 'internal', [], true, 'Wipe the head with isopropanol.');
    const ranked = await (await get('/p/knowledge?q=isopropanol', cookies.staff)).text();
    expect(ranked.indexOf('Cleaning the head')).toBeGreaterThan(0);
    expect(ranked.indexOf('Cleaning the head')).toBeLessThan(ranked.indexOf('Manual internal'));
    // The broken file is still served.
    const brokenId = (await fileIds(broken))['broken.pdf']!;
    expect((await get(`/help/files/${broken}/${brokenId}`)).status).toBe(200);
  });

  it('file names with markup execute nothing on the agents\' page, in the portal and in the help centre', async () => {
    const id = await entry('Escaped names', 'public', [{ name: XSS_NAME, bytes: PNG }]);
    const fileId = Object.values(await fileIds(id))[0]!;
    const responses = [
      await get(`/p/knowledge/entries/${id}`, cookies.staff), await get(`/portal/kb/${id}`, cookies.acme), await get(`/help/general/${id}-escaped-names`),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const pages = await Promise.all(responses.map((r) => r.text()));
    for (const html of pages) {
      expect(html).toMatch(new RegExp(`files/(${id}/)?${fileId}"`));
      expect(html).not.toContain('<img src=x onerror');
      expect(html).not.toMatch(/alt="[^"]*"[^>]*onerror/);
      // The name is cleaned on upload (no <, >, quotes or path) and escaped where shown.
      expect(html).toContain('_img src=x onerror=alert(1)__&#39;;.png');
    }
    const served = await get(`/help/files/${id}/${fileId}`);
    const disposition = served.headers.get('Content-Disposition')!;
    expect(disposition).toMatch(/^inline; filename="[^"]*"; filename\*=UTF-8''[^"<>\s]*$/);
    expect(disposition).not.toContain('<');
  });
});
