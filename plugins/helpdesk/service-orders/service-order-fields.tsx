import type { Child } from 'hono/jsx';
import { isoToZoned, type Translate } from '../../../core/plugin-api.js';
import { SERVICE_ORDER_TYPES, formatDuration } from './service-order-rules.js';
import type { ServiceOrderRow } from './service-order-store.js';

export interface FormState { values?: Record<string, string> | undefined; errors?: Record<string, string> | undefined }

/** One labelled control with its hint and error, ids prefixed so two forms can share a page. */
function Field(props: { prefix: string; name: string; label: string; errors?: Record<string, string> | undefined; hint?: string | undefined; children: (attrs: Record<string, string | undefined>) => Child; class?: string }) {
  const id = `${props.prefix}-${props.name}`;
  const error = props.errors?.[props.name];
  const described = [error ? `${id}-error` : '', props.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field-invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <label for={id}>{props.label}</label>
      {props.children({ id, name: props.name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described })}
      {props.hint ? <small id={`${id}-hint`} class="hint">{props.hint}</small> : null}
      {error ? <small id={`${id}-error`} class="field-error">{error}</small> : null}
    </div>
  );
}

/**
 * The fields of an order (new or edited): type, technician, planned start and end, and for an
 * existing order its report and time spent. Values as typed win over the stored ones.
 */
export function OrderFields(props: { t: Translate; timeZone: string; prefix: string; technicians: Array<{ id: number; name: string }>; order?: ServiceOrderRow | undefined; state?: FormState | undefined; full?: boolean }) {
  const { t, prefix, order } = props;
  const values = props.state?.values;
  const errors = props.state?.errors;
  const pick = (name: string, stored: string) => (values && name in values ? values[name]! : stored);
  const type = pick('type', order?.type ?? 'on_site');
  const technician = pick('technician_id', order?.technician_id ? String(order.technician_id) : '');
  const known = props.technicians.some((u) => String(u.id) === technician);
  return (
    <div class="so-fields">
      <Field prefix={prefix} name="type" label={t('helpdesk.so.field.type')} errors={errors}>
        {(a) => <select {...a}>{SERVICE_ORDER_TYPES.map((value) => <option value={value} selected={value === type}>{t(`helpdesk.so.type.${value}`)}</option>)}</select>}
      </Field>
      <Field prefix={prefix} name="technician_id" label={t('helpdesk.so.field.technician')} errors={errors}>
        {(a) => (
          <select {...a}>
            <option value="">{t('helpdesk.so.anyTechnician')}</option>
            {props.technicians.map((u) => <option value={String(u.id)} selected={String(u.id) === technician}>{u.name}</option>)}
            {/* A technician who left stays visible until someone else is chosen. */}
            {technician && !known && order?.technician_name ? <option value={technician} selected>{order.technician_name}</option> : null}
          </select>
        )}
      </Field>
      <Field prefix={prefix} name="planned_at" label={t('helpdesk.so.field.planned_at')} errors={errors} hint={t('helpdesk.so.plannedHint', { zone: props.timeZone })}>
        {(a) => <input type="datetime-local" required value={pick('planned_at', isoToZoned(order?.planned_at, props.timeZone))} {...a} />}
      </Field>
      <Field prefix={prefix} name="planned_end" label={t('helpdesk.so.field.planned_end')} errors={errors}>
        {(a) => <input type="datetime-local" value={pick('planned_end', isoToZoned(order?.planned_end, props.timeZone))} {...a} />}
      </Field>
      {props.full ? (
        <>
          <Field prefix={prefix} name="report" label={t('helpdesk.so.field.report')} errors={errors} class="so-wide">
            {(a) => <textarea rows={6} maxlength={20000} {...a}>{pick('report', order?.report ?? '')}</textarea>}
          </Field>
          <Field prefix={prefix} name="time_spent" label={t('helpdesk.so.field.time_spent')} errors={errors} hint={t('helpdesk.so.timeHint')}>
            {(a) => <input type="text" inputmode="numeric" maxlength={6} placeholder="1:30" value={pick('time_spent', formatDuration(order?.minutes_spent))} {...a} />}
          </Field>
        </>
      ) : null}
    </div>
  );
}

/** The order's status as a badge. */
export function StatusBadge(props: { t: Translate; status: string }) {
  return <span class={`badge so-status so-status-${props.status}`}>{props.t(`helpdesk.so.status.${props.status}`)}</span>;
}
