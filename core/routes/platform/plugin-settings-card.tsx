import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { formValueOf, type SettingsField } from '../../plugin-host/settings-form.js';
import { Checkbox, SelectField, TextArea, TextField } from '../../../views/components/form.js';

/** The plugin's words for a settings field, or the key itself for a plugin that has none. */
function words(c: Context<AppEnv>, pluginId: string, key: string) {
  const { catalog } = c.var.services;
  const base = `${pluginId}.settings.${key}`;
  const label = catalog.has(base) ? c.var.t(base) : key;
  const hint = catalog.has(`${base}.hint`) ? c.var.t(`${base}.hint`) : undefined;
  const option = (value: string) => (catalog.has(`${base}.${value}`) ? c.var.t(`${base}.${value}`) : value);
  return { label, hint, option };
}

/** One plugin's settings form for the platform operator (fields from its schema, texts from its messages). */
export function PluginSettingsFields(props: { c: Context<AppEnv>; pluginId: string; fields: readonly SettingsField[]; values: Record<string, unknown>; posted?: Record<string, string | string[]>; errors?: Record<string, string> }) {
  const { c, pluginId, fields, errors } = props;
  const valueOf = (field: SettingsField) => (props.posted ? props.posted[field.key] ?? '' : formValueOf(field, props.values[field.key]));
  const elsewhere = fields.filter((field) => field.kind === 'elsewhere');
  return (
    <>
      {fields.filter((field) => field.kind !== 'elsewhere').map((field) => {
        const { label, hint, option } = words(c, pluginId, field.key);
        const value = valueOf(field);
        const text = Array.isArray(value) ? value.join('\n') : value;
        switch (field.kind) {
          case 'boolean':
            return <>{<Checkbox name={field.key} label={label} checked={text === '1' || text === 'true'} />}{hint ? <small class="hint">{hint}</small> : null}</>;
          case 'enum':
            return <SelectField name={field.key} label={label} hint={hint} errors={errors} value={text} options={field.options.map((v) => ({ value: v, label: option(v) }))} />;
          case 'enumSet': {
            const picked = new Set(Array.isArray(value) ? value : text.split('\n'));
            return (
              <fieldset class="field" id={`f-${field.key}`}>
                <legend>{label}</legend>
                {field.options.map((v) => <Checkbox name={field.key} value={v} label={option(v)} checked={picked.has(v)} />)}
                {hint ? <small class="hint">{hint}</small> : null}
                {errors?.[field.key] ? <small class="field-error">{errors[field.key]}</small> : null}
              </fieldset>
            );
          }
          case 'lines':
          case 'longText':
            return <TextArea name={field.key} label={label} hint={hint} errors={errors} value={text} rows={3} />;
          default:
            return <TextField name={field.key} label={label} hint={hint} errors={errors} value={text} type={field.kind === 'number' ? 'number' : 'text'} />;
        }
      })}
      {elsewhere.length ? (
        <p class="muted plugin-settings-elsewhere">
          {c.var.t('platform.settingsElsewhere', { fields: elsewhere.map((field) => words(c, pluginId, field.key).label).join(', ') })}
        </p>
      ) : null}
    </>
  );
}
