// JSON output with int64 keys as bare number tokens. JS numbers cannot hold keys above 2^53, so a
// key that GoTo types as int64 goes into the value as a marker string (`num`), which `stringify`
// turns into the bare digits. A plain string (not an object with toJSON) keeps JSON.stringify on
// V8's fast path, and the marker survives a JSON round trip (simulator.ts applyBodyFaults).

/** An int64 key as `num` marks it: a string that `stringify` writes as the bare number. */
export type RawNumber = string;

const MARK = '\u0000#';
/** The marker as JSON.stringify writes it (NUL is escaped). */
const MARK_JSON = '\\u0000#';
const RAW_PATTERN = /"\\u0000#(-?\d+)\\u0000#"/g;

export function num(digits: string): RawNumber {
  if (!/^-?\d+$/.test(digits)) throw new Error(`not an integer: ${digits}`);
  return `${MARK}${digits}${MARK}`;
}

export function stringify(value: unknown): string {
  const text = JSON.stringify(value);
  return text.includes(MARK_JSON) ? text.replace(RAW_PATTERN, '$1') : text;
}
