import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hashPassword, verifyPassword } from './password.js';

/** The three sign-in pages: a tenant's staff page, its customer portal, and the platform operator's page. */
export type SignInDoor = 'staff' | 'portal' | 'operator';

/** Where the same e-mail and password do sign in, when it is not the page they were typed on. */
export type OtherDoor =
  | { door: 'portal' }
  | { door: 'staff' }
  | { door: 'tenants'; tenants: Array<{ slug: string; name: string }> };

/** At most this many of a person's tenants are tried (and named) from the operator's page. */
const TENANTS_MAX = 3;

/**
 * After a failed sign-in: are these the credentials of an account that signs in elsewhere? A customer on the
 * staff page, a staff member on the portal, a tenant's staff member on the operator's page. The answer names
 * the right page only when the password matches that account, so it tells nobody anything they could not
 * sign in with anyway; without such an account one password hash is still computed, so the time taken tells
 * little more either. `customers` says whether the tenant offers a portal at all (else nobody is sent there).
 */
export async function findOtherDoor(db: Kysely<DB>, input: {
  door: SignInDoor; tenantId: number | null; email: string; password: string; scryptLogN: number; customers?: boolean;
}): Promise<OtherDoor | undefined> {
  const hashes: Array<{ hash: string; answer: OtherDoor; tenant?: { slug: string; name: string } }> = [];
  if (input.door === 'staff' && input.tenantId !== null && input.customers) {
    const person = await db.selectFrom('people').select('password_hash').where('tenant_id', '=', input.tenantId)
      .where('email', '=', input.email).where('active', '=', 1).where('password_hash', 'is not', null).executeTakeFirst();
    if (person?.password_hash) hashes.push({ hash: person.password_hash, answer: { door: 'portal' } });
  } else if (input.door === 'portal' && input.tenantId !== null) {
    const user = await db.selectFrom('users').select('password_hash').where('tenant_id', '=', input.tenantId)
      .where('email', '=', input.email).where('active', '=', 1).executeTakeFirst();
    if (user?.password_hash) hashes.push({ hash: user.password_hash, answer: { door: 'staff' } });
  } else if (input.door === 'operator') {
    const users = await db.selectFrom('users').innerJoin('tenants', 'tenants.id', 'users.tenant_id')
      .select(['users.password_hash', 'tenants.slug', 'tenants.name']).where('users.email', '=', input.email).where('users.active', '=', 1)
      .orderBy('tenants.slug').limit(TENANTS_MAX).execute();
    for (const user of users) if (user.password_hash) hashes.push({ hash: user.password_hash, answer: { door: 'tenants', tenants: [] }, tenant: { slug: user.slug, name: user.name } });
  }
  if (hashes.length === 0) {
    await hashPassword(input.password, input.scryptLogN);
    return undefined;
  }
  const matches = [];
  for (const candidate of hashes) if (await verifyPassword(input.password, candidate.hash)) matches.push(candidate);
  if (matches.length === 0) return undefined;
  if (input.door === 'operator') return { door: 'tenants', tenants: matches.map((m) => m.tenant!) };
  return matches[0]!.answer;
}
