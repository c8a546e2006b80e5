import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../core/cli/run-cli.js';
import { createRegistry } from '../../../core/plugin-host/registry.js';
import { createTenant } from '../../../core/tenancy/tenant-service.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../../test/harness/test-database.js';
import { helpdeskDb } from '../helpdesk-db.js';
import { helpdeskPlugin } from '../index.js';
import { createSecretBox } from './secret-box.js';

const SECRET = 's'.repeat(40);

describe.each(dialects)('helpdesk mailbox CLI commands on %s', (dialect) => {
  let database: TestDatabase;
  let dataDir: string;
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATABASE_URL: database.url, DATA_DIR: dataDir, SECRET } }, [helpdeskPlugin]);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect, createRegistry([helpdeskPlugin]));
    dataDir = mkdtempSync(join(tmpdir(), 'tresen-hd-cli-'));
    await createTenant(database.db, { slug: 'acme', name: 'ACME', locale: 'en' });
    await createTenant(database.db, { slug: 'other', name: 'Other', locale: 'en' });
  });
  afterAll(() => database.cleanup());

  it('lists the plugin\'s commands in the help', async () => {
    const help = await run('--help');
    expect(help.out).toContain('mailbox:add');
    expect(help.out).toContain('mailbox:remove');
  });

  it('adds, lists and removes a mailbox; the password is sealed and never printed', async () => {
    const added = await run('mailbox:add', '--tenant', 'acme', '--imap', 'imap://support:pa%24%24@mail.acme.test:143/INBOX?tls=none', '--smtp', 'smtp://support:pw@mail.acme.test:587', '--from', 'support@acme.test');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/added mailbox \d+ \(support@mail\.acme\.test:143\/INBOX, from support@acme\.test\) to acme/);
    const row = await helpdeskDb(database.db).selectFrom('helpdesk_mailboxes').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ imap_host: 'mail.acme.test', imap_port: 143, imap_tls: 'none', imap_user: 'support', imap_folder: 'INBOX', from_address: 'support@acme.test' });
    expect(createSecretBox(SECRET).open(row.imap_password)).toBe('pa$$');
    expect(createSecretBox(SECRET).open(row.smtp_url!)).toBe('smtp://support:pw@mail.acme.test:587');

    const listed = await run('mailbox:list', '--tenant', 'acme', '--json');
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id: row.id, imap: 'imap://support@mail.acme.test:143/INBOX', from: 'support@acme.test', smtp: 'own' })]);
    expect(listed.out).not.toContain('pa$$');
    // Another tenant neither sees nor removes it.
    expect(JSON.parse((await run('mailbox:list', '--tenant', 'other', '--json')).out)).toEqual([]);
    const foreign = await run('mailbox:remove', '--tenant', 'other', '--id', String(row.id));
    expect(foreign.code).toBe(1);
    expect(foreign.err).toContain(`no mailbox ${row.id} in tenant other`);

    const removed = await run('mailbox:remove', '--tenant', 'acme', '--id', String(row.id));
    expect(removed.code).toBe(0);
    expect(JSON.parse((await run('mailbox:list', '--tenant', 'acme', '--json')).out)).toEqual([]);
  });

  it('answers wrong calls with exit code 2 and the usage', async () => {
    const noTenant = await run('mailbox:add', '--imap', 'imap://u:p@h/INBOX', '--from', 'a@b.test');
    expect(noTenant.code).toBe(2);
    expect(noTenant.err).toContain('--tenant is required');
    const badUrl = await run('mailbox:add', '--tenant', 'acme', '--imap', 'http://x', '--from', 'a@b.test');
    expect(badUrl.code).toBe(2);
    expect(badUrl.err).toContain('usage: npm run tresen -- mailbox:add');
    const badFrom = await run('mailbox:add', '--tenant', 'acme', '--imap', 'imap://u:p@h/INBOX', '--from', 'nope');
    expect(badFrom.code).toBe(2);
    expect(badFrom.err).toContain('--from');
    expect((await run('mailbox:list', '--tenant', 'ghost')).code).toBe(1);
  });
});
