import type { Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { flash } from '../http/flash.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope, staff } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import { MACRO_PLACEHOLDERS } from '../tickets/macro-template.js';
import { TextArea } from '../../views/components/form.js';
import { recordAdminAction } from './admin/audit.js';

// Signatures (issue 18 point 3): the agent's own on the account page, a support group's on its admin page.
// Which one a reply gets: core/tickets/signatures.ts (the group's, else the personal one).

const MAX_SIGNATURE = 4000;
const placeholderHint = (c: Context<AppEnv>) => c.var.t('macro.placeholders', { list: MACRO_PLACEHOLDERS.filter((p) => p !== 'agent.signature').map((p) => `{{${p}}}`).join(' ') });

async function signatureFrom(c: Context<AppEnv>): Promise<string | null> {
  const raw = (await c.req.parseBody()).signature;
  const text = typeof raw === 'string' ? raw.replace(/\r\n/g, '\n').trim() : '';
  if (text.length > MAX_SIGNATURE) throw new HttpError(422, c.var.t('error.invalid'), { signature: c.var.t('validation.tooLong', { max: MAX_SIGNATURE }) });
  return text || null;
}

export function PersonalSignatureCard(props: { c: Context<AppEnv>; value: string | null }) {
  const { c } = props;
  const t = c.var.t;
  if (!c.var.tenant || !c.var.can('tickets.edit')) return null;
  return (
    <section class="card" id="personal-signature">
      <h2>{t('signature.personal')}</h2>
      <form method="post" action={href(c, '/account/signature')} class="stack">
        <TextArea name="signature" label={t('signature.text')} value={props.value} rows={4} hint={`${t('signature.personalHint')} ${placeholderHint(c)}`} />
        <button type="submit" class="button-primary">{t('common.save')}</button>
      </form>
    </section>
  );
}

export function GroupSignatureCard(props: { c: Context<AppEnv>; group: { id: number; signature: string | null } }) {
  const { c, group } = props;
  const t = c.var.t;
  return (
    <section class="card" id="group-signature">
      <h2>{t('signature.group')}</h2>
      <form method="post" action={href(c, `/admin/groups/${group.id}/signature`)} class="stack">
        <TextArea name="signature" label={t('signature.text')} value={group.signature} rows={4} hint={`${t('signature.groupHint')} ${placeholderHint(c)}`} />
        <button type="submit" class="button-primary">{t('common.save')}</button>
      </form>
    </section>
  );
}

export function signatureRoutes(app: Hono<AppEnv>): void {
  app.post('/account/signature', requireTenant, requireUser, requirePermission('tickets.edit'), async (c) => {
    const signature = await signatureFrom(c);
    await c.var.services.db.updateTable('users').set({ signature }).where('id', '=', staff(c).id).where('tenant_id', '=', c.var.tenant!.id).execute();
    flash(c, 'success', c.var.t('common.saved'));
    return redirectTo(c, href(c, '/account'));
  });

  app.post('/admin/groups/:id/signature', requireTenant, requireUser, requirePermission('admin.groups'), async (c) => {
    const raw = c.req.param('id');
    const group = /^\d{1,10}$/.test(raw) ? await scope(c).selectFrom('support_groups').select(['id', 'name']).where('id', '=', Number(raw)).executeTakeFirst() : undefined;
    if (!group) throw new HttpError(404, c.var.t('error.notFound'));
    const signature = await signatureFrom(c);
    await c.var.services.db.transaction().execute(async (trx) => {
      await trx.updateTable('support_groups').set({ signature }).where('id', '=', group.id).where('tenant_id', '=', c.var.tenant!.id).execute();
      await recordAdminAction(c, trx, 'admin.group_updated', group.name, { id: group.id, signature: signature ? 'set' : 'removed' });
    });
    flash(c, 'success', c.var.t('common.saved'));
    return redirectTo(c, href(c, `/admin/groups/${group.id}`));
  });
}
