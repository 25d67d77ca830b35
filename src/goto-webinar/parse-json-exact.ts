// GoTo writes its 64-bit keys (registrantKey, webinarKey, sessionKey, ...) as bare JSON numbers,
// which JSON.parse would round (8325357307900339981 -> 8325357307900340000). lossless-json reads
// the number tokens itself: integers beyond 2^53 come back as their exact decimal strings, every
// other number as a JS number, always (one shape for the readers; figures in docs/sync.md).
import { isInteger, isSafeNumber, parse } from 'lossless-json';

const exactNumber = (text: string): number | string =>
  isInteger(text) && !isSafeNumber(text) ? text : Number(text);

/** JSON text -> value, with every integer beyond 2^53 as its exact decimal string. */
export function parseJsonExact(text: string): unknown {
  return parse(text, null, exactNumber);
}
