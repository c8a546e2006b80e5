import type { Context, Hono } from 'hono';
import { AVAILABILITIES, DIRECTORY_LANGUAGES } from '../directory/directory-fields.js';
import { JOB_TITLE_MAX, ownProfile, profileFormSchema, removePhoto, saveProfile } from '../directory/directory-profiles.js';
import { directorySettings } from '../directory/directory-settings.js';
import { photoResponse } from '../directory/directory-http.js';
import { DomainError } from '../domain-error.js';
import type { AppEnv } from '../http/app-env.js';
import { flash } from '../http/flash.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, staff, tenantOf } from '../http/guards.js';
import { callingCode, formatPhone } from '../text/phone-number.js';
import { countryName } from '../i18n/country-name.js';
import { sipDisplay } from '../text/sip-address.js';
import { Checkbox, FormError, SelectField, TextField } from '../../views/components/form.js';
import { initials } from './desk/directory-views.js';

/** What the form shows after a refusal: the values as typed and a message per field. */
export interface DirectoryFormState { values: Record<string, string | string[]>; errors: Record<string, string> }

/** What the section shows: the member's card as saved and the tenant's phone country. */
export async function directoryProfileData(c: Context<AppEnv>) {
  const tenantId = tenantOf(c).id;
  const [profile, settings] = await Promise.all([ownProfile(c.var.services.db, tenantId, staff(c).id), directorySettings(c.var.services.db, tenantId)]);
  return { profile, settings };
}

/** The account page's section for the member's own card in the support directory (staff of a tenant only). */
export function DirectoryProfileSection(props: { c: Context<AppEnv>; data: Awaited<ReturnType<typeof directoryProfileData>>; state?: DirectoryFormState | undefined }) {
  const { c, state } = props;
  const t = c.var.t;
  const { profile, settings } = props.data;
  const value = (name: string, stored: string) => (state ? String(state.values[name] ?? '') : stored);
  const languages = state ? [state.values.languages ?? []].flat() : profile.languages;
  const errors = state?.errors;
  return (
    <section class="card" id="directory">
      <h2>{t('directory.profile.title')}</h2>
      <p class="muted">{t('directory.profile.intro')}</p>
      <FormError message={state ? t('directory.invalid') : undefined} />
      <form method="post" action={href(c, '/account/directory')} enctype="multipart/form-data" class="stack directory-profile-form">
        <Checkbox name="listed" label={t('directory.profile.listed')} checked={state ? state.values.listed === '1' : profile.listed} />
        <div class="grid-2">
          <TextField name="job_title" label={t('directory.jobTitle')} value={value('job_title', profile.jobTitle)} maxlength={JOB_TITLE_MAX} errors={errors} />
          <SelectField name="availability" label={t('directory.availability')} value={value('availability', profile.availability)} errors={errors}
            options={AVAILABILITIES.map((a) => ({ value: a, label: t(`directory.availability.${a}`) }))} />
          <TextField name="phone" type="tel" label={t('directory.phone')} value={value('phone', profile.phone ? formatPhone(profile.phone) : '')} autocomplete="tel" errors={errors}
            hint={t('directory.profile.phoneHint', { country: countryName(settings.phoneCountry, c.var.locale), code: callingCode(settings.phoneCountry) ?? '' })} />
          <TextField name="mobile" type="tel" label={t('directory.mobile')} value={value('mobile', profile.mobile ? formatPhone(profile.mobile) : '')} errors={errors} />
          <TextField name="sip" label={t('directory.sip')} value={value('sip', profile.sip ? sipDisplay(profile.sip) : '')} errors={errors} hint={t('directory.profile.sipHint')} />
        </div>
        <fieldset class={`directory-languages${errors?.languages ? ' field-invalid' : ''}`}>
          <legend>{t('directory.languages')}</legend>
          {DIRECTORY_LANGUAGES.map((code) => (
            <label class="directory-language"><input type="checkbox" name="languages" value={code} checked={languages.includes(code)} /> {t(`directory.lang.${code}`)}</label>
          ))}
          {errors?.languages ? <small id="languages-error" class="field-error">{errors.languages}</small> : null}
        </fieldset>
        <div class="directory-photo-field">
          {profile.photoFile
            ? <img src={href(c, `/account/directory/photo?v=${profile.photoFile.slice(0, 12)}`)} alt="" width={56} height={56} class="directory-photo" />
            : <span class="directory-initials" aria-hidden="true">{initials(staff(c).name)}</span>}
          <div class={`field${errors?.photo ? ' field-invalid' : ''}`}>
            <label for="f-photo">{t('directory.photo')}</label>
            <input type="file" id="f-photo" name="photo" accept="image/png,image/jpeg,image/webp" aria-describedby={errors?.photo ? 'photo-error photo-hint' : 'photo-hint'} />
            <small id="photo-hint" class="hint">{t('directory.profile.photoHint')}</small>
            {errors?.photo ? <small id="photo-error" class="field-error">{errors.photo}</small> : null}
          </div>
        </div>
        <button type="submit" class="button-primary">{t('common.save')}</button>
      </form>
      {profile.photoFile ? (
        <form method="post" action={href(c, '/account/directory/photo/remove')}>
          <button type="submit" class="button-small">{t('directory.profile.removePhoto')}</button>
        </form>
      ) : null}
    </section>
  );
}

/** Saving the own card; a refusal shows the account page again (422) with every value kept. */
export function accountDirectoryRoutes(app: Hono<AppEnv>, again: (c: Context<AppEnv>, state: DirectoryFormState) => Response | Promise<Response>): void {
  app.post('/account/directory', requireTenant, requireUser, requirePermission('desk.use'), async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody({ all: true });
    const values: Record<string, string | string[]> = {};
    for (const [key, entry] of Object.entries(body)) {
      const list = [entry].flat().filter((v): v is string => typeof v === 'string');
      if (list.length) values[key] = key === 'languages' ? list : list[0]!;
    }
    const photo = [body.photo].flat().find((v): v is File => v instanceof File && v.size > 0);
    const parsed = profileFormSchema.safeParse(values);
    if (!parsed.success) {
      const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? 'form'), t('directory.field.tooLong')]));
      return again(c, { values, errors });
    }
    try {
      await saveProfile({ db: c.var.services.db, files: c.var.services.files, now: c.var.services.clock() }, tenantOf(c).id, staff(c).id, parsed.data,
        photo ? new Uint8Array(await photo.arrayBuffer()) : null);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return again(c, { values, errors: Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, t(key)])) });
    }
    flash(c, 'success', t('directory.profile.saved'));
    return redirectTo(c, href(c, '/account#directory'));
  });

  // The own photo, listed or not (the directory's photo route shows listed cards only).
  app.get('/account/directory/photo', requireTenant, requireUser, requirePermission('desk.use'), async (c) => {
    const profile = await ownProfile(c.var.services.db, tenantOf(c).id, staff(c).id);
    return photoResponse(c, { photo: profile.photoFile });
  });

  app.post('/account/directory/photo/remove', requireTenant, requireUser, requirePermission('desk.use'), async (c) => {
    await removePhoto(c.var.services.db, tenantOf(c).id, staff(c).id, c.var.services.clock());
    flash(c, 'success', c.var.t('directory.profile.saved'));
    return redirectTo(c, href(c, '/account#directory'));
  });
}
