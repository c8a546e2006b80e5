/**
 * What a service throws when it refuses a change: a kind, a sentence in the caller's language and,
 * for forms, one message per field. Services know nothing of HTTP, so jobs, the CLI and workers
 * reuse them; the HTTP layer maps the kind to a status (`toHttpError` in core/http/http-error.ts).
 */
export type RefusalKind = 'invalid' | 'conflict' | 'forbidden' | 'not_found' | 'too_large';

export class DomainError extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    /** One message per field key (a form field, an API body path such as `custom_fields.serial`). */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A refusal that belongs to fields: a plugin's create-form check, a duplicate, a bad reference. */
export function invalidFields(message: string, fields: Readonly<Record<string, string>>): DomainError {
  return new DomainError('invalid', message, fields);
}
