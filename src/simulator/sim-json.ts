// JSON output with int64 keys as bare number tokens. JS numbers cannot hold keys above 2^53, so a
// key that GoTo types as int64 is wrapped in RawNumber and spliced into the text unquoted.

export class RawNumber {
  constructor(readonly digits: string) {
    if (!/^-?\d+$/.test(digits)) throw new Error(`not an integer: ${digits}`);
  }

  toJSON(): string {
    return `${MARK}${this.digits}${MARK}`;
  }
}

const MARK = '\u0000#';
const RAW_PATTERN = /"\\u0000#(-?\d+)\\u0000#"/g;

export const num = (digits: string): RawNumber => new RawNumber(digits);

export function stringify(value: unknown): string {
  return JSON.stringify(value).replace(RAW_PATTERN, '$1');
}
