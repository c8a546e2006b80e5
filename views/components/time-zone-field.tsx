import type { Translate } from '../../core/i18n/translate.js';
import { timeZoneGroups, timeZoneNames } from '../../core/i18n/time-zone.js';
import { SelectField, type FieldErrors } from './form.js';

/** The tenant's time zone as a select: UTC first, then every IANA zone grouped by region. */
export function TimeZoneField(props: { name?: string; value: string; errors?: FieldErrors | undefined; t: Translate }) {
  const { t } = props;
  const groups = timeZoneGroups().map((g) => ({
    label: g.region === 'Other' ? t('timeZone.other') : g.region,
    // The whole name, so the closed select still says "Europe/Berlin", not just "Berlin".
    options: g.zones.filter((z) => z !== 'UTC').map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') })),
  })).filter((g) => g.options.length);
  return (
    <SelectField name={props.name ?? 'time_zone'} label={t('timeZone.label')} hint={t('timeZone.hint')} value={props.value} errors={props.errors}
      // A refused name stays selected beside its error (else the select would silently show UTC, ready to be saved).
      options={[...(!props.value || timeZoneNames().includes(props.value) ? [] : [{ value: props.value, label: props.value }]), { value: 'UTC', label: 'UTC' }]} groups={groups} />
  );
}
