import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../auth/session-store.js';
import { createTestApp } from '../../test/harness/test-app.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { checklistPlugin, notesPlugin } from '../../test/plugins/test-plugins.js';
import { runCli } from './run-cli.js';

describe.each(dialects)('CLI on %s', (dialect) => {
  let database: TestDatabase;
  let dataDir: string;
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATABASE_URL: database.url, DATA_DIR: dataDir, SECRET: 'x'.repeat(40) } }, [notesPlugin, checklistPlugin]);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect, (await import('../plugin-host/registry.js')).createRegistry([notesPlugin, checklistPlugin]));
    dataDir = mkdtempSync(join(tmpdir(), 'tresen-cli-'));
  });
  afterAll(() => database.cleanup());

  it('prints help for the tool and for each command', async () => {
    const all = await run('--help');
    expect(all.code).toBe(0);
    expect(all.out).toContain('tenant:create');
    expect(all.out).toContain('backup');
    const one = await run('user:create', '--help');
    expect(one.out).toContain('--role <agent|supervisor|admin>');
    expect((await run()).code).toBe(2);
    expect((await run('nonsense')).err).toContain('unknown command "nonsense"');
  });

  it('creates and lists tenants; a taken slug or a missing option is a readable error', async () => {
    const created = await run('tenant:create', '--slug', 'acme', '--name', 'ACME GmbH');
    expect(created).toMatchObject({ code: 0 });
    expect(created.out).toContain('/t/acme/');
    expect(await run('tenant:create', '--slug', 'acme', '--name', 'Again')).toMatchObject({ code: 1, err: expect.stringContaining('exists already') });
    expect(await run('tenant:create', '--name', 'No slug')).toMatchObject({ code: 2, err: expect.stringContaining('--slug is required') });
    expect(await run('tenant:create', '--slug', 'x y', '--name', 'Bad')).toMatchObject({ code: 2 });
    expect(await run('tenant:list', '--colour')).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--colour'") });
    const listed = await run('tenant:list', '--json');
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ slug: 'acme', name: 'ACME GmbH', plugins: [] })]);
  });

  it('creates users and operators, and refuses bad roles, unknown tenants and duplicates', async () => {
    expect(await run('user:create', '--tenant', 'acme', '--email', 'Ada@acme.test', '--name', 'Ada', '--role', 'admin', '--password', 'long password 1')).toMatchObject({ code: 0 });
    expect(await run('user:create', '--email', 'op@x.test', '--name', 'Op', '--role', 'operator', '--password', 'long password 1')).toMatchObject({ code: 0 });
    expect(await run('user:create', '--tenant', 'acme', '--email', 'ada@acme.test', '--name', 'Ada', '--role', 'admin', '--password', 'long password 1')).toMatchObject({ code: 1 });
    expect(await run('user:create', '--tenant', 'acme', '--email', 'b@acme.test', '--name', 'B', '--role', 'boss', '--password', 'long password 1')).toMatchObject({ code: 2, err: expect.stringContaining('--role must be') });
    expect(await run('user:create', '--tenant', 'ghost', '--email', 'b@acme.test', '--name', 'B', '--role', 'agent', '--password', 'long password 1')).toMatchObject({ code: 1, err: expect.stringContaining('no tenant with slug "ghost"') });
    expect(await run('user:create', '--tenant', 'acme', '--email', 'b@acme.test', '--name', 'B', '--role', 'agent', '--password', 'short')).toMatchObject({ code: 2 });
    const users = await database.db.selectFrom('users').select(['email', 'role', 'tenant_id']).orderBy('email').execute();
    expect(users.map((u) => `${u.email}:${u.role}:${u.tenant_id === null ? 'platform' : 'tenant'}`)).toEqual(['ada@acme.test:admin:tenant', 'op@x.test:operator:platform']);
  });

  it('switches plugins with the dependency rules', async () => {
    expect(await run('plugin:enable', '--tenant', 'acme', '--plugin', 'checklist')).toMatchObject({ code: 1, err: expect.stringContaining('needs "notes" switched on first') });
    expect(await run('plugin:enable', '--tenant', 'acme', '--plugin', 'notes')).toMatchObject({ code: 0 });
    expect(await run('plugin:enable', '--tenant', 'acme', '--plugin', 'checklist')).toMatchObject({ code: 0 });
    expect(await run('plugin:disable', '--tenant', 'acme', '--plugin', 'notes')).toMatchObject({ code: 1, err: expect.stringContaining('needed by "checklist"') });
    expect(await run('plugin:enable', '--tenant', 'acme', '--plugin', 'ghost')).toMatchObject({ code: 1, err: expect.stringContaining('not installed') });
    expect((await run('plugin:list', '--tenant', 'acme')).out).toBe('notes\t1.0.0\t-\ton\nchecklist\t0.2.0\tnotes\ton');
    const audit = await database.db.selectFrom('audit_log').select('action').where('action', 'like', 'cli.%').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['cli.tenant_created', 'cli.user_created', 'cli.plugin_enabled']));
  });

  it('creates an API token, printed once as the last line and stored only as its hash', async () => {
    const result = await run('token:create', '--tenant', 'acme', '--email', 'ada@acme.test', '--name', 'zapier');
    expect(result.code).toBe(0);
    const token = result.out.split('\n').at(-1)!;
    expect(token).toMatch(/^trs_[A-Za-z0-9_-]{43}$/);
    const row = await database.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(row.name).toBe('zapier');
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await run('token:create', '--tenant', 'acme', '--email', 'nobody@acme.test')).toMatchObject({ code: 1 });
  });

  it('backs up into a folder with a manifest, restores it into an empty place, and refuses a taken one', async () => {
    const target = join(dataDir, 'backup');
    const result = await run('backup', target);
    expect(result, result.err).toMatchObject({ code: 0, out: expect.stringMatching(/backup written to .*: 1 tenants, 0 tickets, 0 files/) });
    const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')) as { dialect: string; secret: string; entries: Array<{ path: string }> };
    expect(manifest).toMatchObject({ dialect, secret: 'included' });
    expect(manifest.entries.map((e) => e.path)).toEqual(expect.arrayContaining([dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump', 'secret']));
    if (dialect === 'sqlite') {
      const copy = new SqliteDatabase(join(target, 'database.sqlite'), { readonly: true });
      expect(copy.prepare('select slug from tenants').all()).toEqual([{ slug: 'acme' }]);
      copy.close();
    }
    expect(await run('backup', target)).toMatchObject({ code: 1, err: expect.stringContaining('--force') });
    expect((await run('backup', target, '--force')).code).toBe(0);
    expect((await run('backup')).code).toBe(2);
    // Restoring over the live database is refused before anything is written.
    expect(await run('restore', target)).toMatchObject({ code: 1, err: expect.stringMatching(/exists: restore only into an empty data directory|has \d+ tables: restore only into an empty database/) });
    expect(await run('restore', join(dataDir, 'nowhere'))).toMatchObject({ code: 1, err: expect.stringContaining('does not exist') });
    expect((await run('restore')).code).toBe(2);
  });

  it('migrate reports an up-to-date database', async () => {
    expect(await run('migrate')).toMatchObject({ code: 0, out: 'database is up to date' });
  });
});

describe('CLI as a process', () => {
  it('runs through tsx with the environment\'s database, and a bad setting exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tresen-cli-proc-'));
    const tsx = resolve('node_modules/.bin/tsx');
    // Vite puts its own BASE_URL ('/') into the test process's environment.
    const { BASE_URL: _viteBase, ...env } = process.env;
    const ok = spawnSync(tsx, ['core/cli/main.ts', 'tenant:create', '--slug', 'proc', '--name', 'Proc'], { env: { ...env, DATA_DIR: dir }, encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const listed = spawnSync(tsx, ['core/cli/main.ts', 'tenant:list'], { env: { ...env, DATA_DIR: dir }, encoding: 'utf8' });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('proc\tProc\tde');
    expect(existsSync(join(dir, 'tresen.db'))).toBe(true);
    const bad = spawnSync(tsx, ['core/cli/main.ts', 'tenant:list'], { env: { ...env, DATA_DIR: dir, DATABASE_URL: 'mysql://nope' }, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('DATABASE_URL: expected');
  }, 120_000);

  it('a token from the CLI authenticates API requests of that user only in its tenant', async () => {
    const app = await createTestApp('sqlite');
    try {
      const tenant = await app.createTenant('acme');
      await app.createStaff(tenant.id, 'agent', 'agent@acme.test');
      await app.createTenant('globex');
      const out: string[] = [];
      await runCli(['token:create', '--tenant', 'acme', '--email', 'agent@acme.test'], { out: (l) => out.push(l), err: () => {}, env: { DATABASE_URL: app.database.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'tresen-tok-')) } }, []);
      const token = out.at(-1)!;
      expect((await app.request('/t/acme/desk', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await app.request('/t/globex/desk', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(303);
      expect((await app.request('/t/acme/desk', { headers: { Authorization: 'Bearer trs_wrong' } })).status).toBe(303);
    } finally {
      await app.cleanup();
    }
  });
});
