// Services throw DomainErrors (never HTTP exceptions); one global filter maps `kind` to a status,
// and job handlers read the same errors to decide whether to retry.
export type DomainErrorKind =
  | 'bad_request' // 400
  | 'not_found' // 404
  | 'method_not_allowed' // 405
  | 'conflict' // 409
  | 'unsupported_media_type' // 415
  | 'unprocessable' // 422
  | 'upstream_failed' // 502: GoTo answered, but not usefully
  | 'upstream_unavailable' // 503: GoTo could not be reached / rate limited / timed out
  | 'unauthorized' // 401
  | 'too_many_requests'; // 429 (TooManyRequestsError adds Retry-After)

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: unknown) =>
  new DomainError('not_found', 'NOT_FOUND', `${what} ${String(id)} not found`);

export const fieldError = (kind: 'bad_request' | 'unprocessable', field: string, message: string) =>
  new DomainError(kind, 'INVALID_FIELD', `${field}: ${message}`, [{ field, message }]);
