import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { hashToken } from './session-store.js';

export const API_TOKEN_NAME_MAX = 80;

export interface ApiTokenListEntry { id: number; name: string; created_at: string; last_used_at: string | null }

/**
 * Personal API tokens of staff users. Only the hash is stored (like session tokens), so the
 * plain token is shown once, when it is made; `Authorization: Bearer <token>` then acts as its user.
 */
export async function createApiToken(db: Kysely<DB>, input: { tenantId: number; userId: number; name: string }): Promise<{ id: number; token: string }> {
  const token = `trs_${randomBytes(32).toString('base64url')}`;
  const name = input.name.trim().slice(0, API_TOKEN_NAME_MAX) || 'api';
  const row = await tenantScope(db, input.tenantId).insertInto('api_tokens', { user_id: input.userId, name, token_hash: hashToken(token) })
    .returning('id').executeTakeFirstOrThrow();
  return { id: row.id, token };
}

export function listApiTokens(db: Kysely<DB>, tenantId: number, userId: number): Promise<ApiTokenListEntry[]> {
  return tenantScope(db, tenantId).selectFrom('api_tokens').select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** Revokes one of the user's own tokens; false when there is no such token of theirs. */
export async function revokeApiToken(db: Kysely<DB>, tenantId: number, userId: number, id: number): Promise<boolean> {
  if (!Number.isSafeInteger(id)) return false;
  const result = await tenantScope(db, tenantId).deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
