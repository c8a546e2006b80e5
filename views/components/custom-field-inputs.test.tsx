import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../core/i18n/translate.js';
import { de } from '../../core/i18n/messages-de.js';
import { en } from '../../core/i18n/messages-en.js';
import { ticketPageMessages } from '../../core/routes/desk/ticket-page-messages.js';
import { workspaceMessages } from '../../core/routes/desk/workspace-messages.js';
import { customFieldFormValues, type FieldDefinition } from '../../core/tickets/custom-fields.js';
import { CustomFieldInputs } from './custom-field-inputs.js';

const t = createCatalog([{ en, de }, ticketPageMessages, workspaceMessages]).translator('en');
const field = (key: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition =>
  ({ key, label: key, type, options: [], required: false, categories: [], ...extra });
const fields = [
  field('serial', 'text', { required: true }),
  field('count', 'number'),
  field('impact', 'select', { options: ['me', 'company'], required: true }),
  field('onsite', 'checkbox'),
];

describe('CustomFieldInputs', () => {
  it('create forms: a grid row with required attributes, numbers as text under a hint, a blank first choice', () => {
    const html = String(<CustomFieldInputs mode="create" t={t} fields={fields} values={{ 'custom_fields.serial': 'SN-1', 'custom_fields.onsite': '1' }} />);
    expect(html).toMatch(/^<div class="form-row custom-fields">/);
    expect(html).toMatch(/<input id="f-custom_fields.serial" name="custom_fields.serial" type="text" value="SN-1" required="" maxlength="500"/);
    expect(html).toMatch(/<input id="f-custom_fields.count" name="custom_fields.count" type="text" value="" placeholder="a number"/);
    expect(html).toContain('<select id="f-custom_fields.impact" name="custom_fields.impact" required=""><option value=""></option>');
    expect(html).toMatch(/<input type="hidden" name="custom_fields.onsite" value=""\/><input type="checkbox" id="f-custom_fields.onsite" name="custom_fields.onsite" value="1" checked=""/);
    expect(String(<div><CustomFieldInputs mode="create" t={t} fields={[]} values={{}} /></div>)).toBe('<div></div>');
  });

  it('the ticket page: a stack that is always there, no required attributes, number inputs, "—" as the empty choice', () => {
    const html = String(<CustomFieldInputs mode="edit" id="ticket-custom-fields" t={t} fields={fields} values={{}} />);
    expect(html).toMatch(/^<div id="ticket-custom-fields" class="stack">/);
    expect(html).not.toContain('required');
    expect(html).toMatch(/name="custom_fields.count" type="number" value="" step="any"/);
    expect(html).toContain('<option value="">—</option>');
    expect(String(<CustomFieldInputs mode="edit" id="ticket-custom-fields" t={t} fields={[]} values={{}} />)).toBe('<div id="ticket-custom-fields" class="stack"></div>');
  });

  it('ties an error to its input, the checkbox included', () => {
    const errors = { 'custom_fields.serial': 'Please fill in this field.', 'custom_fields.onsite': 'Tick it.' };
    const html = String(<CustomFieldInputs mode="create" t={t} fields={fields} values={{}} errors={errors} />);
    expect(html).toContain('aria-describedby="custom_fields.serial-error"/><small id="custom_fields.serial-error" class="field-error">Please fill in this field.</small>');
    expect(html).toContain('aria-invalid="true" aria-describedby="custom_fields.onsite-error"/><label for="f-custom_fields.onsite">onsite</label><small id="custom_fields.onsite-error" class="field-error">Tick it.</small>');
  });
});

describe('customFieldFormValues', () => {
  it('turns stored values into form values, with what was posted first', () => {
    expect(customFieldFormValues(fields, { serial: 'SN-1', count: 2.5, onsite: true })).toEqual({
      'custom_fields.serial': 'SN-1', 'custom_fields.count': '2.5', 'custom_fields.impact': '', 'custom_fields.onsite': '1',
    });
    expect(customFieldFormValues(fields, { serial: 'SN-1', onsite: true }, { 'custom_fields.serial': '', 'custom_fields.onsite': '', category: 'x' })).toEqual({
      'custom_fields.serial': '', 'custom_fields.count': '', 'custom_fields.impact': '', 'custom_fields.onsite': '',
    });
    expect(customFieldFormValues([field('onsite', 'checkbox')], { onsite: false })).toEqual({ 'custom_fields.onsite': '' });
  });
});
