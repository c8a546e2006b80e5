import type { Translate } from '../../core/i18n/translate.js';
import { customFieldName, type FieldDefinition } from '../../core/tickets/custom-fields.js';
import { SelectField, TextField } from './form.js';

interface CustomFieldInputsProps {
  fields: FieldDefinition[];
  /** Values by input name (`custom_fields.<key>`): as posted, or a stored ticket's from customFieldFormValues. */
  values: Record<string, string>;
  errors?: Record<string, string> | undefined;
  t: Translate;
  /**
   * 'create' (the phone ticket's and the portal's forms): a grid row, nothing when no field
   * applies; required fields carry the required attribute, a number is typed as text under a
   * hint, a select starts blank.
   * 'edit' (the ticket page's fields): a stack that is always there, `id` naming it for the
   * refresh when the category changes; the server alone checks required fields, numbers get a
   * number input, a select's empty choice reads '—'.
   */
  mode: 'create' | 'edit';
  id?: string;
}

/**
 * Inputs for the custom fields that apply to a category, named `custom_fields.<key>` so that
 * customInputFromForm reads them back; a checkbox is preceded by a hidden '' so unchecked is sent too.
 */
export function CustomFieldInputs(props: CustomFieldInputsProps) {
  const { t, errors } = props;
  const create = props.mode === 'create';
  if (create && props.fields.length === 0) return null;
  return (
    <div id={props.id} class={create ? 'form-row custom-fields' : 'stack'}>
      {props.fields.map((field) => {
        const name = customFieldName(field.key);
        const value = props.values[name];
        const label = field.required ? `${field.label} *` : field.label;
        const required = create && field.required;
        switch (field.type) {
          case 'select':
            return <SelectField name={name} label={label} value={value} options={field.options.map((o) => ({ value: o, label: o }))} empty={create ? '' : t('ticketPage.empty')} errors={errors} required={required} />;
          case 'checkbox': {
            const error = errors?.[name];
            return (
              <div class={`field field-check${error ? ' field-invalid' : ''}`}>
                <input type="hidden" name={name} value="" />
                <input type="checkbox" id={`f-${name}`} name={name} value="1" checked={value === '1' || value === 'on' || value === 'true'}
                  aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${name}-error` : undefined} />
                <label for={`f-${name}`}>{label}</label>
                {error ? <small id={`${name}-error`} class="field-error">{error}</small> : null}
              </div>
            );
          }
          case 'number':
            return create
              ? <TextField name={name} label={label} value={value} errors={errors} required={required} placeholder={t('field.numberHint')} />
              : <TextField name={name} type="number" step="any" label={label} value={value} errors={errors} />;
          case 'date':
            return <TextField name={name} type="date" label={label} value={value} errors={errors} required={required} />;
          default:
            return <TextField name={name} label={label} value={value} errors={errors} required={required} maxlength={500} />;
        }
      })}
    </div>
  );
}
