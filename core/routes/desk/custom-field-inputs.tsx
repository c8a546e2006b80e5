import type { Translate } from '../../i18n/translate.js';
import { customFieldName, type FieldDefinition } from '../../tickets/custom-fields.js';
import { SelectField, TextField } from '../../../views/components/form.js';

/**
 * Inputs for the custom fields that apply to a category, named `custom_fields.<key>` so that
 * customInputFromForm reads them back; a checkbox is preceded by a hidden '' so unchecked is sent too.
 */
export function CustomFieldInputs(props: { fields: FieldDefinition[]; values: Record<string, string>; errors?: Record<string, string> | undefined; t: Translate }) {
  const { t } = props;
  if (props.fields.length === 0) return null;
  return (
    <div class="form-row custom-fields">
      {props.fields.map((field) => {
        const name = customFieldName(field.key);
        const value = props.values[name];
        const label = field.required ? `${field.label} *` : field.label;
        switch (field.type) {
          case 'select':
            return <SelectField name={name} label={label} value={value} options={field.options.map((o) => ({ value: o, label: o }))} empty="" errors={props.errors} required={field.required} />;
          case 'checkbox': {
            const error = props.errors?.[name];
            return (
              <div class={`field field-check${error ? ' field-invalid' : ''}`}>
                <input type="hidden" name={name} value="" />
                <input type="checkbox" id={`f-${name}`} name={name} value="1" checked={value === '1' || value === 'on' || value === 'true'} />
                <label for={`f-${name}`}>{label}</label>
                {error ? <small class="field-error">{error}</small> : null}
              </div>
            );
          }
          case 'number':
            return <TextField name={name} label={label} value={value} errors={props.errors} required={field.required} placeholder={t('field.numberHint')} />;
          case 'date':
            return <TextField name={name} type="date" label={label} value={value} errors={props.errors} required={field.required} />;
          default:
            return <TextField name={name} label={label} value={value} errors={props.errors} required={field.required} maxlength={500} />;
        }
      })}
    </div>
  );
}
