import type { Context } from 'hono';
import type { Macro } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { scope, staff } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';

/** A macro the signed-in agent may use: their own or a shared one of this tenant; anything else does not exist for them. */
export async function visibleMacro(c: Context<AppEnv>, rawId: string | undefined): Promise<Macro> {
  const id = Number(rawId);
  const user = staff(c);
  const macro = Number.isInteger(id) && id > 0
    ? await scope(c).selectFrom('macros').selectAll().where('id', '=', id)
      .where((eb) => eb.or([eb('user_id', '=', user.id), eb('user_id', 'is', null)])).executeTakeFirst()
    : undefined;
  if (!macro) throw new HttpError(404, c.var.t('error.notFound'));
  return macro;
}

/** Own macros are the owner's to change; shared ones belong to holders of macros.share. */
export function mayEditMacro(c: Context<AppEnv>, macro: Pick<Macro, 'user_id'>): boolean {
  return macro.user_id === null ? c.var.can('macros.share') : macro.user_id === staff(c).id;
}
