import type { Context, Hono } from 'hono';
import { contactFor, contactsFor, directoryQuery, photoResponse, vcardResponse } from '../../directory/directory-http.js';
import { ownProfile, setAvailability } from '../../directory/directory-profiles.js';
import { AVAILABILITIES, type Availability } from '../../directory/directory-fields.js';
import { DomainError } from '../../domain-error.js';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, staff, tenantOf } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { Page } from '../../../views/components/page.js';
import { ContactCard, ContactDetail, DirectoryFilter, type ContactUrls } from './directory-views.js';

const STAFF = { kind: 'staff' } as const;

const urls = (c: Context<AppEnv>): ContactUrls => ({
  card: (id) => href(c, `/desk/directory/${id}`),
  vcard: (id) => href(c, `/desk/directory/${id}/vcard`),
  photo: (id, file) => href(c, `/desk/directory/${id}/photo?v=${file.slice(0, 12)}`),
});

/** The signed-in member's quick availability switch (their card's own setting). */
function OwnAvailability(props: { c: Context<AppEnv>; own: Availability }) {
  const { c } = props;
  const t = c.var.t;
  const own = { availability: props.own };
  return (
    <form method="post" action={href(c, '/desk/directory/availability')} class="directory-own" id="directory-own">
      <label for="directory-own-availability">{t('directory.mine')}</label>
      <select id="directory-own-availability" name="availability">
        {AVAILABILITIES.map((a) => <option value={a} selected={own.availability === a}>{t(`directory.availability.${a}`)}</option>)}
      </select>
      <button type="submit" class="button">{t('directory.setAvailability')}</button>
      <a href={href(c, '/account#directory')} class="directory-edit-own">{t('directory.editOwn')}</a>
    </form>
  );
}

export function directoryRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('desk.use')] as const;

  app.get('/desk/directory', ...guard, async (c) => {
    const t = c.var.t;
    const query = directoryQuery(c);
    const [contacts, own] = await Promise.all([contactsFor(c, STAFF, query), ownProfile(c.var.services.db, tenantOf(c).id, staff(c).id)]);
    const filtered = Boolean(query.q || query.availability);
    const list = (
      <div id="directory-list">
        {contacts.length === 0 ? <p class="muted card" id="directory-empty">{t(filtered ? 'directory.noneFound' : 'directory.none')}</p> : (
          <ul class="directory-grid">{contacts.map((contact) => <ContactCard contact={contact} t={t} dates={c.var.dates} urls={urls(c)} />)}</ul>
        )}
      </div>
    );
    return render(c, {
      title: t('directory.title'),
      page: (
        <Page title={t('directory.title')}>
          <p class="muted">{t('directory.intro')}</p>
          <div class="directory-bar">
            <DirectoryFilter t={t} action={href(c, '/desk/directory')} q={query.q} availability={query.availability ?? ''} showAvailability />
            <OwnAvailability c={c} own={own.availability} />
          </div>
          {list}
        </Page>
      ),
      fragment: list,
    });
  });

  app.post('/desk/directory/availability', ...guard, async (c) => {
    const body = await c.req.parseBody();
    try {
      await setAvailability(c.var.services.db, tenantOf(c).id, staff(c).id, typeof body.availability === 'string' ? body.availability : '', c.var.services.clock());
    } catch (error) {
      if (error instanceof DomainError) throw new HttpError(422, c.var.t('directory.invalid'), { availability: c.var.t('directory.field.availabilityInvalid') });
      throw error;
    }
    flash(c, 'success', c.var.t('common.saved'));
    return redirectTo(c, href(c, '/desk/directory'));
  });

  app.get('/desk/directory/:id{[0-9]+}', ...guard, async (c) => {
    const t = c.var.t;
    const contact = await contactFor(c, STAFF);
    return render(c, {
      title: contact.name,
      page: (
        <Page title={t('directory.title')} crumbs={[{ label: t('directory.title'), href: href(c, '/desk/directory') }]}>
          <ContactDetail contact={contact} t={t} dates={c.var.dates} urls={urls(c)} />
        </Page>
      ),
    });
  });

  app.get('/desk/directory/:id{[0-9]+}/vcard', ...guard, async (c) => vcardResponse(c, await contactFor(c, STAFF)));
  app.get('/desk/directory/:id{[0-9]+}/photo', ...guard, async (c) => photoResponse(c, await contactFor(c, STAFF)));
}
