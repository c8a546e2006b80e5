import type { Context } from 'hono';
import {
  CustomFieldInputs, FormError, OrganisationPicker, SelectField, TextArea, TextField, href, type AppEnv, type FieldDefinition,
} from '../../core/plugin-api.js';
import { modelLabel, typeName, type ModelRow, type PlacedLocation } from './catalogue-store.js';
import { HOST_MAX, INVENTORY_MAX, SERIAL_MAX, type DeviceInput } from './device-fields.js';
import { DEVICE_STATES } from './hardware-db.js';

/** The device form (new and edit): every input keeps what was sent, refusals stand at their fields. */
export function DeviceForm(props: {
  c: Context<AppEnv>; action: string; values: DeviceInput; organisationName: string | undefined; models: ModelRow[]; locations: PlacedLocation[];
  errors?: Record<string, string> | undefined; submit: string;
  /** The custom fields of the chosen model's type (those without a type limit while none is chosen), values by input name. */
  custom: { fields: FieldDefinition[]; values: Record<string, string> };
}) {
  const { c, values, errors } = props;
  const t = c.var.t;
  // Models grouped by their type, so a long catalogue stays readable in one select.
  const groups = new Map<string, Array<{ value: number; label: string }>>();
  for (const model of props.models) {
    const group = typeName({ name_en: model.type_en, name_de: model.type_de }, c.var.locale);
    groups.set(group, [...(groups.get(group) ?? []), { value: model.id, label: modelLabel(model) }]);
  }
  return (
    <form method="post" action={props.action} class="card stack hardware-form" id="hardware-device-form">
      <FormError message={errors ? t('error.invalid') : undefined} />
      <div class="hardware-grid">
        <TextField name="inventory_number" label={t('hardware.device.inventory')} value={values.inventory_number} errors={errors} maxlength={INVENTORY_MAX} required />
        <TextField name="serial_number" label={t('hardware.device.serial')} value={values.serial_number} errors={errors} maxlength={SERIAL_MAX} />
        <SelectField name="model_id" label={t('hardware.model')} value={values.model_id} errors={errors} empty={t('hardware.choose')} options={[]}
          groups={[...groups].map(([label, options]) => ({ label, options }))} />
        <SelectField name="state" label={t('hardware.device.state')} value={values.state || 'in_stock'} errors={errors}
          options={DEVICE_STATES.map((state) => ({ value: state, label: t(`hardware.state.${state}`) }))} />
        <OrganisationPicker c={c} name="organisation_id" label={t('hardware.device.organisation')} value={values.organisation_id} display={props.organisationName} errors={errors} />
        <TextField name="person" type="email" label={t('hardware.device.person')} hint={t('hardware.device.personHint')} value={values.person} errors={errors} maxlength={200} />
        <SelectField name="location_id" label={t('hardware.location')} value={values.location_id} errors={errors} empty={t('hardware.location.none')}
          options={props.locations.map((row) => ({ value: row.id, label: row.path }))} />
        <TextField name="host" label={t('hardware.device.host')} value={values.host} errors={errors} maxlength={HOST_MAX} />
        <TextField name="purchased_on" type="date" label={t('hardware.device.purchased')} value={values.purchased_on} errors={errors} />
        <TextField name="warranty_until" type="date" label={t('hardware.device.warranty')} value={values.warranty_until} errors={errors} />
      </div>
      <TextArea name="notes" label={t('hardware.device.notes')} value={values.notes} errors={errors} rows={3} />
      {props.custom.fields.length ? (
        <fieldset class="hardware-custom" id="hardware-custom">
          <legend>{t('hardware.custom.title')}</legend>
          <CustomFieldInputs id="hardware-custom-fields" mode="edit" t={t} fields={props.custom.fields} values={props.custom.values} errors={errors} />
        </fieldset>
      ) : null}
      <div class="hardware-actions">
        <button type="submit" class="button-primary" id="hardware-device-save">{props.submit}</button>
        <a href={href(c, '/p/hardware')}>{t('common.cancel')}</a>
      </div>
    </form>
  );
}
