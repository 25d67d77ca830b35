import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { fieldError } from './errors/domain-error';

// A path id: a positive integer written in plain decimal digits, within JavaScript's safe range.
// Anything else ("abc", "-1", "0", "1.5", "1e3", "99999999999999999999") is a 400 naming the
// parameter, instead of Nest's ParseIntPipe message that names nothing (and lets -1 and 1e20 through).
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    const field = metadata.data || 'id';
    const n = typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n))
      throw fieldError('bad_request', field, `${field} must be a positive integer`);
    return n;
  }
}
