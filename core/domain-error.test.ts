import { describe, expect, it } from 'vitest';
import { DomainError, invalidFields } from './domain-error.js';
import { HttpError, toHttpError } from './http/http-error.js';

describe('domain errors', () => {
  it('map to the HTTP status of their kind, keeping message and fields', () => {
    const mapped = toHttpError(invalidFields('Check the fields', { 'p.sla.level': 'Choose a level' }));
    expect(mapped).toBeInstanceOf(HttpError);
    expect([mapped!.status, mapped!.code, mapped!.message, mapped!.fields]).toEqual([422, 'invalid', 'Check the fields', { 'p.sla.level': 'Choose a level' }]);
    expect(toHttpError(new DomainError('conflict', 'Closed'))!.status).toBe(409);
    expect(toHttpError(new DomainError('forbidden', 'No'))!.status).toBe(403);
    expect(toHttpError(new DomainError('not_found', 'Gone'))!.status).toBe(404);
    expect(toHttpError(new DomainError('too_large', 'Big'))!.status).toBe(413);
  });

  it('leave an HttpError as it is and other errors unmapped', () => {
    const http = new HttpError(429, 'Slow down');
    expect(toHttpError(http)).toBe(http);
    expect(toHttpError(new Error('bug'))).toBeUndefined();
    expect(toHttpError('text')).toBeUndefined();
  });
});
