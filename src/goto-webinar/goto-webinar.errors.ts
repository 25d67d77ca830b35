import { GotoErrorCode } from './goto-webinar.types';

const RETRYABLE: ReadonlySet<GotoErrorCode> = new Set(['RATE_LIMITED', 'TEMPORARY']);

// The one error type the provider throws. Secrets never appear in `message`.
export class GotoWebinarError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: GotoErrorCode,
    message: string,
    readonly details: {
      status?: number;
      retryAfterMs?: number;
      /** For INVALID_RESPONSE: the JSON path of the bad field, e.g. `_embedded.webinars[3].times`. */
      path?: string;
      endpoint?: string;
    } = {},
  ) {
    super(message);
    this.name = 'GotoWebinarError';
    this.retryable = RETRYABLE.has(code);
  }
}
