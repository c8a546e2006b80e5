import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '../../core/plugin-api.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import { hardwarePlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/** Files on devices: upload with limits (422 at the field, nothing saved), download, removal (audited), tenants, the portal. */
describe.each(dialects)('hardware device files on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let adminA: string;
  let adminB: string;
  let deviceA: number;
  let deviceB: number;

  const upload = (slug: string, device: number, files: Array<[string, Uint8Array<ArrayBuffer>]>, cookie: string) => {
    const body = new FormData();
    for (const [name, bytes] of files) body.append('files', new File([bytes], name));
    return app.request(`/t/${slug}/p/hardware/devices/${device}/files`, { method: 'POST', body, cookie });
  };
  const rows = (world: HardwareWorld) => pluginScope<HardwareDB>(app.services.db, world.tenant.id).selectFrom('hardware_device_files').select(['id', 'filename', 'device_id']).orderBy('id').execute();
  const audits = async (world: HardwareWorld) => (await app.services.db.selectFrom('audit_log').select('action').where('tenant_id', '=', world.tenant.id).execute()).map((row) => row.action);

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin], { clock: () => new Date('2026-06-15T10:00:00Z') });
    a = await hardwareWorld(app, 'hl-a');
    b = await hardwareWorld(app, 'hl-b');
    adminA = await a.admin();
    adminB = await b.admin();
    deviceA = (await a.device({ inventory_number: 'FILE-A', person: a.emails.manager })).id;
    deviceB = (await b.device({ inventory_number: 'FILE-B' })).id;
  });
  afterAll(() => app.cleanup());

  it('refuses bad uploads at the field with 422 and saves nothing', async () => {
    const none = await upload('hl-a', deviceA, [], adminA);
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('id="files-error"');
    const type = await upload('hl-a', deviceA, [['run.exe', new Uint8Array([1, 2])]], adminA);
    expect(type.status).toBe(422);
    expect(await type.text()).toContain('Files of this type cannot be attached.');
    const large = await upload('hl-a', deviceA, [['ok.txt', new Uint8Array([1])], ['big.pdf', new Uint8Array(MAX_ATTACHMENT_BYTES + 1)]], adminA);
    expect(large.status).toBe(422);
    expect(await large.text()).toContain('at most 10 MB');
    const many = await upload('hl-a', deviceA, Array.from({ length: 11 }, (_, i): [string, Uint8Array<ArrayBuffer>] => [`n${i}.txt`, new Uint8Array([i])]), adminA);
    expect(many.status).toBe(422);
    expect(await rows(a)).toEqual([]);
    // An agent sees devices but may not attach.
    expect((await upload('hl-a', deviceA, [['ok.txt', new Uint8Array([1])]], await a.agentCookie())).status).toBe(403);
  });

  it('attaches, lists, serves as a download and removes (audited); another tenant\'s ids are not found; the portal sees no files', async () => {
    const added = await upload('hl-a', deviceA, [['invoice.pdf', new TextEncoder().encode('%PDF-1.4 invoice')], ['<script>config.txt', new TextEncoder().encode('ip=10.0.0.1')]], adminA);
    expect(added.status).toBe(303);
    const files = await rows(a);
    expect(files.map((f) => f.filename)).toEqual(['invoice.pdf', '_script_config.txt']);
    const page = await (await app.request(`/t/hl-a/p/hardware/devices/${deviceA}`, { cookie: await a.agentCookie() })).text();
    expect(page).toContain(`id="hardware-file-${files[0]!.id}"`);
    expect(page).not.toContain('hardware-file-upload');
    const download = await app.request(`/t/hl-a/p/hardware/devices/${deviceA}/files/${files[0]!.id}`, { cookie: await a.agentCookie() });
    expect(download.status).toBe(200);
    expect(download.headers.get('Content-Type')).toBe('application/pdf');
    expect(download.headers.get('Content-Disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
    expect(download.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await download.text()).toBe('%PDF-1.4 invoice');

    // Tenant b: a's file id under b's device, under a's device id, or a's device id: 404; nothing moved.
    await upload('hl-b', deviceB, [['b.txt', new Uint8Array([9])]], adminB);
    const fileB = (await rows(b))[0]!;
    expect((await app.request(`/t/hl-b/p/hardware/devices/${deviceB}/files/${files[0]!.id}`, { cookie: adminB })).status).toBe(404);
    expect((await app.request(`/t/hl-b/p/hardware/devices/${deviceA}/files/${files[0]!.id}`, { cookie: adminB })).status).toBe(404);
    expect((await app.request(`/t/hl-a/p/hardware/devices/${deviceA}/files/${fileB.id}`, { cookie: adminA })).status).toBe(404);
    expect((await app.request(`/t/hl-b/p/hardware/devices/${deviceA}/files/${files[0]!.id}/delete`, { method: 'POST', cookie: adminB })).status).toBe(404);
    expect((await upload('hl-b', deviceA, [['x.txt', new Uint8Array([1])]], adminB)).status).toBe(404);
    expect(await rows(a)).toHaveLength(2);

    // The portal: the device's owner sees the device but not its files, and cannot fetch one.
    const portal = await a.signIn(a.emails.manager);
    const home = await (await app.request('/t/hl-a/portal', { cookie: portal })).text();
    expect(home).toContain('FILE-A');
    expect(home).not.toContain('invoice.pdf');
    expect((await app.request(`/t/hl-a/p/hardware/devices/${deviceA}/files/${files[0]!.id}`, { cookie: portal })).status).not.toBe(200);

    const removed = await app.request(`/t/hl-a/p/hardware/devices/${deviceA}/files/${files[0]!.id}/delete`, { method: 'POST', cookie: adminA });
    expect(removed.status).toBe(303);
    expect((await rows(a)).map((f) => f.filename)).toEqual(['_script_config.txt']);
    expect((await app.request(`/t/hl-a/p/hardware/devices/${deviceA}/files/${files[0]!.id}`, { cookie: adminA })).status).toBe(404);
    expect(await audits(a)).toEqual(expect.arrayContaining(['hardware.file_added', 'hardware.file_removed']));
  });
});
