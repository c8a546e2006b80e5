import type { FieldErrors } from './form.js';

/** One choice in a picker's list. */
export interface PickerOption {
  value: string;
  label: string;
  detail?: string | undefined;
}

export interface PickerProps {
  /** Name of the hidden input that carries the chosen id (what the form sends with JavaScript). */
  name: string;
  label: string;
  /** The chosen id, or '' / null for none. */
  value: string | number | null | undefined;
  /** The chosen row's name, shown in the text input. */
  display: string | undefined;
  /** The search route; it answers htmx with <li role="option"> elements (PickerOptions). */
  searchUrl: string;
  placeholder?: string | undefined;
  hint?: string | undefined;
  clearLabel: string;
  errors?: FieldErrors | undefined;
  /** Extra attributes for the hidden input, e.g. htmx attributes that react to its `change` event. */
  valueAttrs?: Record<string, string> | undefined;
  /** Read-only (e.g. inside a disabled fieldset of a closed ticket): no clear button that would look usable. */
  readOnly?: boolean | undefined;
}

/** The text input's name: without JavaScript the typed name is sent and resolved by the server. */
export const pickerTextName = (name: string) => `${name}_text`;

const domName = (name: string) => name.replace(/[^a-zA-Z0-9_-]/g, '-');

/** Ids derived from the field name, so one form can hold several pickers. */
export function pickerIds(name: string) {
  const base = domName(name);
  return { input: `f-${base}`, listbox: `${base}-options`, hint: `${base}-hint`, error: `${name}-error` };
}

/**
 * An as-you-type picker (WAI-ARIA combobox with a listbox popup): typing asks the search route
 * through htmx, static/app.js handles the keys (arrows, Enter, Escape), the pick and clearing, and
 * sends only the hidden id. Without JavaScript it is a plain text field whose name the server
 * resolves (see resolvePicked in core/routes/desk/organisation-picker.tsx).
 */
export function Picker(props: PickerProps) {
  const ids = pickerIds(props.name);
  const error = props.errors?.[props.name];
  const value = props.value === null || props.value === undefined ? '' : String(props.value);
  // The chosen name; without a choice, text the server could not resolve stays visible to correct.
  const chosen = value ? props.display ?? `#${value}` : '';
  const display = value ? chosen : props.display ?? '';
  const described = [props.hint ? ids.hint : '', error ? ids.error : ''].filter(Boolean).join(' ') || undefined;
  const separator = props.searchUrl.includes('?') ? '&' : '?';
  return (
    <div class={`field picker-field${error ? ' field-invalid' : ''}`} data-combo="">
      <label for={ids.input}>{props.label}</label>
      <input type="hidden" name={props.name} value={value} data-combo-value="" {...(props.valueAttrs ?? {})} />
      <div class="combo-control">
        <input id={ids.input} name={pickerTextName(props.name)} type="text" value={display} data-label={chosen} data-combo-input=""
          role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls={ids.listbox} autocomplete="off" spellcheck={false}
          placeholder={props.placeholder} maxlength={100} aria-invalid={error ? 'true' : undefined} aria-describedby={described}
          hx-get={`${props.searchUrl}${separator}listbox=${encodeURIComponent(ids.listbox)}`} hx-trigger="input changed delay:200ms"
          hx-target={`#${ids.listbox}`} hx-swap="innerHTML" hx-sync="this:replace" />
        {props.readOnly ? null : <button type="button" class="combo-clear js-only" data-combo-clear="" aria-label={props.clearLabel} title={props.clearLabel} hidden={!value}>×</button>}
        <ul id={ids.listbox} role="listbox" class="combo-list" aria-label={props.label} hidden></ul>
      </div>
      {props.hint ? <small id={ids.hint} class="hint">{props.hint}</small> : null}
      {error ? <small id={ids.error} class="field-error">{error}</small> : null}
    </div>
  );
}

/** The options of a picker's listbox (an htmx fragment); `listbox` prefixes their ids. */
export function PickerOptions(props: { listbox: string; options: PickerOption[]; empty: string }) {
  if (props.options.length === 0) return <li role="option" aria-disabled="true" class="combo-empty">{props.empty}</li>;
  return (
    <>
      {props.options.map((o) => (
        <li role="option" id={`${props.listbox}-${domName(o.value)}`} aria-selected="false" data-value={o.value} data-label={o.label} class="combo-option">
          <strong>{o.label}</strong>
          {o.detail ? <span class="muted"> {o.detail}</span> : null}
        </li>
      ))}
    </>
  );
}
