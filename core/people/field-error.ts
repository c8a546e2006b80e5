/** A refusal that belongs to one form field (a duplicate, an unknown reference); messageKey is a catalog key. */
export class FieldConflictError extends Error {
  constructor(readonly field: string, readonly messageKey: string) {
    super(`${field}: ${messageKey}`);
  }
}
