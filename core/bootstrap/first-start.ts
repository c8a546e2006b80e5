import type { Kysely } from 'kysely';
import type { AppConfig } from '../../config/env.js';
import type { DB } from '../db/schema.js';
import type { Dialect } from '../db/create-database.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import { createUser } from '../people/user-service.js';
import { seedDemoTenant, type DemoCredentials } from './demo-data.js';
import { generatePassword } from './generate-password.js';

export interface FirstStartReport {
  operator?: { email: string; password: string; generated: boolean };
  demo?: DemoCredentials;
}

/**
 * On an empty database: the platform operator and (unless TRESEN_DEMO=0) the demo tenant.
 * Runs once; a database that has an operator is left alone.
 */
export async function firstStart(db: Kysely<DB>, dialect: Dialect, registry: PluginRegistry, config: AppConfig): Promise<FirstStartReport> {
  const operator = await db.selectFrom('users').select('id').where('role', '=', 'operator').executeTakeFirst();
  if (operator) return {};
  const email = config.adminEmail ?? 'operator@tresen.local';
  const password = config.adminPassword ?? generatePassword();
  await createUser(db, { tenantId: null, email, name: 'Platform operator', role: 'operator', password, locale: 'en' }, config.scryptLogN);
  const report: FirstStartReport = { operator: { email, password, generated: !config.adminPassword } };
  if (config.demo) report.demo = await seedDemoTenant(db, dialect, registry, config.scryptLogN);
  return report;
}

export function formatFirstStartReport(report: FirstStartReport, baseUrl: string): string {
  const lines: string[] = [];
  if (report.operator) {
    lines.push('', '  Tresen is set up. These credentials are shown only once:', '');
    lines.push(`  Platform operator   ${baseUrl}/login`);
    lines.push(`    ${report.operator.email}  /  ${report.operator.generated ? report.operator.password : '(TRESEN_ADMIN_PASSWORD)'}`);
  }
  if (report.demo) {
    // Three doors: staff and customers of the demo tenant sign in on different pages, each listed under its own.
    const staff = report.demo.accounts.filter((account) => account.role !== 'portal');
    const customers = report.demo.accounts.filter((account) => account.role === 'portal');
    lines.push('', `  Demo tenant "${report.demo.tenantName}", staff   ${baseUrl}/t/${report.demo.slug}/login`);
    for (const account of staff) lines.push(`    ${account.role.padEnd(12)} ${account.email}  /  ${account.password}`);
    if (customers.length) {
      lines.push('', `  Its customer portal   ${baseUrl}/t/${report.demo.slug}/portal/login`);
      for (const account of customers) lines.push(`    ${'customer'.padEnd(12)} ${account.email}  /  ${account.password}`);
    }
  }
  if (lines.length) lines.push('');
  return lines.join('\n');
}
