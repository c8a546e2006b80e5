import { DomainError } from '../domain-error.js';

/**
 * A refusal that belongs to one form field (a duplicate, an unknown reference). The people services
 * have no translator, so `messageKey` is a catalog key the caller words at `field`; as a DomainError
 * ('invalid', the key as message and field message) it still maps to 422 where nobody catches it.
 */
export class FieldConflictError extends DomainError {
  constructor(readonly field: string, readonly messageKey: string) {
    super('invalid', messageKey, { [field]: messageKey });
    this.name = 'FieldConflictError';
  }
}
