import type { Kysely } from 'kysely';
import { z } from 'zod';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN } from '../auth/password.js';
import type { DB, StaffRole } from '../db/schema.js';

export const staffRoleSchema = z.enum(['agent', 'supervisor', 'admin']);

export const newUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(120),
  role: staffRoleSchema,
  password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX).optional(),
  locale: z.enum(['de', 'en']).optional(),
});

export class UserConflictError extends Error {
  readonly field = 'email';
}

/** Creates a tenant's staff user, or (tenantId null, role operator) a platform operator. */
export async function createUser(
  db: Kysely<DB>,
  input: { tenantId: number | null; email: string; name: string; role: StaffRole; password?: string | undefined; locale?: 'de' | 'en' | undefined },
  scryptLogN: number,
): Promise<number> {
  const email = input.email.trim().toLowerCase();
  let existing = db.selectFrom('users').select('id').where('email', '=', email);
  existing = input.tenantId === null ? existing.where('tenant_id', 'is', null) : existing.where('tenant_id', '=', input.tenantId);
  if (await existing.executeTakeFirst()) throw new UserConflictError(`a user with e-mail ${email} exists already`);
  const passwordHash = input.password ? await hashPassword(input.password, scryptLogN) : null;
  const row = await db.insertInto('users').values({
    tenant_id: input.tenantId, email, name: input.name.trim(), role: input.role, password_hash: passwordHash, locale: input.locale ?? null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
