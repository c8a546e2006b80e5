import type { Child } from 'hono/jsx';

export type FieldErrors = Record<string, string>;

interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
  /** Where a page has two fields of one name (two forms): a prefix for their ids ("composer-"). */
  idPrefix?: string | undefined;
  /** Extra classes of the field's wrapper. */
  wrapClass?: string | undefined;
}

const inputId = (props: FieldProps) => `${props.idPrefix ?? ''}f-${props.name}`;

function describedBy(props: FieldProps): string | undefined {
  const base = `${props.idPrefix ?? ''}${props.name}`;
  const ids = [props.errors?.[props.name] ? `${base}-error` : '', props.hint ? `${base}-hint` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldFrame(props: FieldProps & { children: Child }) {
  const error = props.errors?.[props.name];
  const base = `${props.idPrefix ?? ''}${props.name}`;
  return (
    <div class={`field${error ? ' field-invalid' : ''}${props.wrapClass ? ` ${props.wrapClass}` : ''}`}>
      <label for={inputId(props)}>{props.label}</label>
      {props.children}
      {props.hint ? <small id={`${base}-hint`} class="hint">{props.hint}</small> : null}
      {error ? <small id={`${base}-error`} class="field-error">{error}</small> : null}
    </div>
  );
}

export function TextField(props: FieldProps & {
  value?: string | number | null | undefined;
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'datetime-local' | 'color' | 'url' | 'search' | 'tel';
  required?: boolean;
  autocomplete?: string;
  maxlength?: number;
  autofocus?: boolean;
  placeholder?: string;
  /** For a number input: 'any' takes decimals. */
  step?: string;
}) {
  return (
    <FieldFrame {...props}>
      <input
        id={inputId(props)} name={props.name} type={props.type ?? 'text'} value={props.value ?? ''}
        required={props.required} autocomplete={props.autocomplete} maxlength={props.maxlength} autofocus={props.autofocus}
        placeholder={props.placeholder} step={props.step}
        aria-invalid={props.errors?.[props.name] ? 'true' : undefined} aria-describedby={describedBy(props)}
      />
    </FieldFrame>
  );
}

export function TextArea(props: FieldProps & { value?: string | null | undefined; rows?: number; required?: boolean }) {
  return (
    <FieldFrame {...props}>
      <textarea id={inputId(props)} name={props.name} rows={props.rows ?? 4} required={props.required}
        aria-invalid={props.errors?.[props.name] ? 'true' : undefined} aria-describedby={describedBy(props)}>{props.value ?? ''}</textarea>
    </FieldFrame>
  );
}

type SelectOption = { value: string | number; label: string };

/** A select of options, or of options in labelled groups (`groups`, rendered as optgroups after `options`). */
export function SelectField(props: FieldProps & { value?: string | number | null | undefined; options: SelectOption[]; groups?: Array<{ label: string; options: SelectOption[] }>; required?: boolean; empty?: string }) {
  const option = (o: SelectOption) => <option value={String(o.value)} selected={String(o.value) === String(props.value ?? '')}>{o.label}</option>;
  return (
    <FieldFrame {...props}>
      <select id={inputId(props)} name={props.name} required={props.required}
        aria-invalid={props.errors?.[props.name] ? 'true' : undefined} aria-describedby={describedBy(props)}>
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map(option)}
        {props.groups?.map((group) => <optgroup label={group.label}>{group.options.map(option)}</optgroup>)}
      </select>
    </FieldFrame>
  );
}

export function Checkbox(props: { name: string; label: string; checked?: boolean; value?: string }) {
  return (
    <div class="field field-check">
      <input type="checkbox" id={inputId(props)} name={props.name} value={props.value ?? '1'} checked={props.checked} />
      <label for={`f-${props.name}`}>{props.label}</label>
    </div>
  );
}

/** A summary above a form that failed validation. */
export function FormError(props: { message?: string | undefined }) {
  return props.message ? <div class="form-error" role="alert">{props.message}</div> : null;
}
