import { DomainError } from '../errors/domain-error';

/** 429 with a `Retry-After` header (seconds), set by the global error filter. */
export class TooManyRequestsError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', code, message);
  }
}
