import type { Context, Hono } from 'hono';
import { z } from 'zod';
import {
  ContactCard, ContactDetail, DirectoryFilter, FormError, TextArea, TextField, clientIp, contactFor, contactsFor, directoryPhotoResponse, directorySettings,
  directoryQuery, directoryVcardResponse, flash, formatPhone, href, redirectTo, tenantOf, ticketService, toE164, type AppEnv, type ContactUrls, type DirectoryContact,
} from '../../core/plugin-api.js';
import { person, personActor, requirePerson } from './portal-access.js';
import { PortalHead, portalRender } from './portal-shell.js';
import { submissionLimiter } from './rate-limit.js';

const PORTAL = { kind: 'portal' } as const;

const urls = (c: Context<AppEnv>): ContactUrls => ({
  card: (id) => href(c, `/portal/directory/${id}`),
  vcard: (id) => href(c, `/portal/directory/${id}/vcard`),
  photo: (id, file) => href(c, `/portal/directory/${id}/photo?v=${file.slice(0, 12)}`),
});

const callbackSchema = z.object({
  phone: z.string().max(80).default(''),
  message: z.string().trim().max(2000).default(''),
});

interface CallbackState { values: { phone: string; message: string }; errors: Record<string, string>; message?: string }

/** The contact card, with the callback form when the tenant allows callbacks. */
async function cardPage(c: Context<AppEnv>, contact: DirectoryContact, state?: CallbackState, status: 200 | 422 | 429 = 200) {
  const t = c.var.t;
  const settings = await directorySettings(c.var.services.db, tenantOf(c).id);
  return portalRender(c, {
    title: contact.name,
    status,
    page: (
      <>
        <PortalHead title={t('directory.title')} lead={<a href={href(c, '/portal/directory')}>{t('directory.back')}</a>} />
        <ContactDetail contact={contact} t={t} dates={c.var.dates} urls={urls(c)}>
          {settings.portalCallback ? (
            <form method="post" action={href(c, `/portal/directory/${contact.userId}/callback`)} class="stack directory-callback" id="directory-callback">
              <h3>{t('directory.callback')}</h3>
              <p class="muted">{t('directory.callback.hint', { name: contact.name })}</p>
              <FormError message={state?.message ?? (state ? t('directory.invalid') : undefined)} />
              <TextField name="phone" type="tel" label={t('directory.callback.phone')} value={state?.values.phone ?? ''} required autocomplete="tel" maxlength={40} errors={state?.errors} />
              <TextArea name="message" label={t('directory.callback.message')} value={state?.values.message ?? ''} errors={state?.errors} />
              <button type="submit" class="button-primary">{t('directory.callback.send')}</button>
            </form>
          ) : null}
        </ContactDetail>
      </>
    ),
  });
}

/**
 * The support directory in the portal ("Kundendienst"), for signed-in portal users while the tenant shows it
 * there (Administration › Support contacts): the cards with the fields the tenant allows, vCard, photo and,
 * when allowed, "request a callback", which opens a phone request assigned to that person.
 * Every route answers 404 while the tenant keeps the directory closed to the portal.
 */
export function portalDirectoryRoutes(app: Hono<AppEnv>): void {
  app.get('/directory', requirePerson, async (c) => {
    const t = c.var.t;
    const query = directoryQuery(c);
    const contacts = await contactsFor(c, PORTAL, query);
    const showAvailability = (await directorySettings(c.var.services.db, tenantOf(c).id)).portalFields.includes('availability');
    const list = (
      <div id="directory-list">
        {contacts.length === 0 ? <p class="muted card" id="directory-empty">{t('directory.noneFound')}</p> : (
          <ul class="directory-grid">{contacts.map((contact) => <ContactCard contact={contact} t={t} dates={c.var.dates} urls={urls(c)} />)}</ul>
        )}
      </div>
    );
    return portalRender(c, {
      title: t('directory.title'),
      page: (
        <>
          <PortalHead title={t('directory.title')} lead={t('directory.portalIntro')} />
          <div class="directory-bar">
            <DirectoryFilter t={t} action={href(c, '/portal/directory')} q={query.q} availability={showAvailability ? query.availability ?? '' : ''} showAvailability={showAvailability} />
          </div>
          {list}
        </>
      ),
      fragment: list,
    });
  });

  app.get('/directory/:id{[0-9]+}', requirePerson, async (c) => cardPage(c, await contactFor(c, PORTAL)));
  app.get('/directory/:id{[0-9]+}/vcard', requirePerson, async (c) => directoryVcardResponse(c, await contactFor(c, PORTAL)));
  app.get('/directory/:id{[0-9]+}/photo', requirePerson, async (c) => directoryPhotoResponse(c, await contactFor(c, PORTAL)));

  app.post('/directory/:id{[0-9]+}/callback', requirePerson, async (c) => {
    const t = c.var.t;
    const contact = await contactFor(c, PORTAL);
    const tenant = tenantOf(c);
    const settings = await directorySettings(c.var.services.db, tenant.id);
    if (!settings.portalCallback) return c.notFound();
    const body = await c.req.parseBody();
    const values = { phone: typeof body.phone === 'string' ? body.phone : '', message: typeof body.message === 'string' ? body.message : '' };
    const parsed = callbackSchema.safeParse(values);
    const phone = parsed.success ? toE164(parsed.data.phone, settings.phoneCountry) : null;
    if (!parsed.success || !phone) {
      const errors: Record<string, string> = {};
      if (!phone) errors.phone = t('directory.field.phoneInvalid');
      if (!parsed.success && parsed.error.issues.some((i) => i.path[0] === 'message')) errors.message = t('directory.field.tooLong');
      return cardPage(c, contact, { values, errors }, 422);
    }
    const viewer = person(c);
    const limiter = submissionLimiter(c.var.services, tenant.id);
    const address = clientIp(c);
    const wait = await limiter.retryAfter('request', viewer.id, address);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return cardPage(c, contact, { values, errors: {}, message: t('portal.limit.requests', { minutes: Math.ceil(wait / 60_000) }) }, 429);
    }
    const description = [t('directory.callback.body', { phone: formatPhone(phone) }), parsed.data.message].filter(Boolean).join('\n\n');
    const ticket = await ticketService(c).create({
      subject: t('directory.callback.subject', { name: contact.name }), description, channel: 'phone',
      requesterId: viewer.id, organisationId: viewer.organisation_id, assigneeId: contact.userId,
    }, personActor(c));
    await limiter.record('request', viewer.id, address);
    flash(c, 'success', t('directory.callback.created', { number: ticket.number, name: contact.name }));
    return redirectTo(c, href(c, `/portal/requests/${ticket.number}`));
  });
}
