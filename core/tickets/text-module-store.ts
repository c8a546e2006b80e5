import { sql } from 'kysely';
import type { TextModule } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

// Text modules' reads (core/routes/desk/text-modules.tsx manages them, the `::` lookup offers them).

/** Keywords are stored in lower case: letters (any script), digits, - and _. */
export const KEYWORD = /^[\p{L}\p{N}_-]{1,40}$/u;

export type TextModuleRow = Pick<TextModule, 'id' | 'user_id' | 'group_id' | 'name' | 'keyword' | 'body'> & { group_name: string | null };

/**
 * The modules an agent may use: their own, those for everyone, and those of the groups they belong to.
 * `manageShared` widens it to every shared module (supervisors manage them all, member or not).
 */
export function usableTextModules(s: TenantScope, userId: number, options: { manageShared?: boolean } = {}) {
  return s.selectFrom('text_modules').leftJoin('support_groups', 'support_groups.id', 'text_modules.group_id')
    .select(['text_modules.id', 'text_modules.user_id', 'text_modules.group_id', 'text_modules.name', 'text_modules.keyword', 'text_modules.body', 'support_groups.name as group_name'])
    .where((eb) => eb.or([
      eb('text_modules.user_id', '=', userId),
      options.manageShared
        ? eb('text_modules.user_id', 'is', null)
        : eb.and([eb('text_modules.user_id', 'is', null), eb.or([
          eb('text_modules.group_id', 'is', null),
          eb('text_modules.group_id', 'in', s.selectFrom('group_members').select('group_id').where('user_id', '=', userId)),
        ])]),
    ]));
}

/** What `::prefix` offers: keywords (then names) starting with it, shortest keyword first, at most `limit`. */
export async function matchingTextModules(s: TenantScope, userId: number, prefix: string, limit = 8): Promise<TextModuleRow[]> {
  const wanted = prefix.toLowerCase().slice(0, 40);
  const length = wanted.length;
  let query = usableTextModules(s, userId);
  if (length) {
    query = query.where((eb) => eb.or([
      eb(sql<string>`substr(text_modules.keyword, 1, ${length})`, '=', wanted),
      eb(sql<string>`substr(lower(text_modules.name), 1, ${length})`, '=', wanted),
    ]));
  }
  return query.orderBy(sql`length(text_modules.keyword)`).orderBy('text_modules.keyword').orderBy('text_modules.id').limit(limit).execute();
}
