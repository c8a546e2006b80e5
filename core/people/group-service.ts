import { z } from 'zod';
import type { SupportGroup } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { FieldConflictError } from './field-error.js';

export const groupLevelSchema = z.enum(['first', 'second', 'third', 'expert']);
export const GROUP_LEVELS = groupLevelSchema.options;

export const groupSchema = z.object({
  name: z.string().trim().min(1).max(120),
  level: groupLevelSchema,
  email: z.union([z.literal(''), z.string().trim().toLowerCase().pipe(z.email())]).optional().transform((v) => v || null),
  members: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number).filter(Number.isInteger)),
});
export type GroupInput = z.infer<typeof groupSchema>;

/** A group that tickets still point at cannot be deleted. */
export class GroupInUseError extends Error {
  constructor(readonly tickets: number) {
    super(`support group is used by ${tickets} tickets`);
  }
}

/** Active staff users of the tenant (users.tenant_id is nullable for operators, so it is filtered by hand). */
export function activeStaff(scope: TenantScope) {
  return scope.db.selectFrom('users').select(['id', 'name', 'email', 'role'])
    .where('tenant_id', '=', scope.tenantId).where('active', '=', 1).where('role', '<>', 'operator').orderBy('name').orderBy('id').execute();
}

/**
 * Creates (no id) or updates a support group; names are unique per tenant (ignoring case). `members` on
 * update replaces the memberships of active staff; memberships of deactivated users stay as they are.
 * Returns the id and the member ids that were set.
 */
export async function saveGroup(scope: TenantScope, input: GroupInput, id?: number): Promise<{ id: number; members: number[] }> {
  let duplicate = scope.selectFrom('support_groups').select('id').where((eb) => eb(eb.fn('lower', ['support_groups.name']), '=', input.name.toLowerCase()));
  if (id !== undefined) duplicate = duplicate.where('support_groups.id', '<>', id);
  if (await duplicate.executeTakeFirst()) throw new FieldConflictError('name', 'group.nameTaken');
  const row = { name: input.name, level: input.level, email: input.email };
  let groupId: number;
  if (id === undefined) groupId = (await scope.insertInto('support_groups', row).returning('id').executeTakeFirstOrThrow()).id;
  else {
    await scope.updateTable('support_groups').set(row).where('id', '=', id).execute();
    groupId = id;
  }
  const active = (await activeStaff(scope)).map((u) => u.id);
  const wanted = new Set(input.members);
  const members = active.filter((userId) => wanted.has(userId));
  if (active.length) await scope.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', 'in', active).execute();
  if (members.length) await scope.insertInto('group_members', members.map((userId) => ({ group_id: groupId, user_id: userId }))).execute();
  return { id: groupId, members };
}

export async function findGroup(scope: TenantScope, id: number): Promise<SupportGroup | undefined> {
  if (!Number.isInteger(id)) return undefined;
  return scope.selectFrom('support_groups').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes a group no ticket references (its memberships go with it); otherwise GroupInUseError. */
export async function deleteGroup(scope: TenantScope, id: number): Promise<void> {
  const used = await scope.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', id).executeTakeFirstOrThrow();
  if (Number(used.n) > 0) throw new GroupInUseError(Number(used.n));
  await scope.deleteFrom('group_members').where('group_id', '=', id).execute();
  await scope.deleteFrom('support_groups').where('id', '=', id).execute();
}

/** Every group with its level and member count. */
export function listGroups(scope: TenantScope) {
  return scope.selectFrom('support_groups')
    .leftJoin('group_members', 'group_members.group_id', 'support_groups.id')
    .select((eb) => ['support_groups.id', 'support_groups.name', 'support_groups.level', 'support_groups.email', eb.fn.count<number>('group_members.user_id').as('members')])
    .groupBy(['support_groups.id', 'support_groups.name', 'support_groups.level', 'support_groups.email'])
    .orderBy('support_groups.name').execute();
}
