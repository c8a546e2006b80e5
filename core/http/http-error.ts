import { DomainError, type RefusalKind } from '../domain-error.js';

/** An error the client caused: rendered with its status and, for forms and the API, field messages. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly code = statusCode(status),
  ) {
    super(message);
  }
}

function statusCode(status: number): string {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 413: return 'too_large';
    case 415: return 'unsupported_media_type';
    case 422: return 'invalid';
    case 429: return 'too_many_requests';
    default: return 'error';
  }
}

const STATUS_OF: Record<RefusalKind, HttpError['status']> = { invalid: 422, conflict: 409, forbidden: 403, not_found: 404, too_large: 413 };

/** An HttpError as it is, a service's DomainError as the HTTP status its kind means; anything else is no refusal. */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) return new HttpError(STATUS_OF[error.kind], error.message, { ...error.fields });
  return undefined;
}
