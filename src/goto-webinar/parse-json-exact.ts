// GoTo writes its 64-bit keys (registrantKey, webinarKey, sessionKey, ...) as bare JSON numbers,
// which JSON.parse would round (8325357307900339981 -> 8325357307900340000). One shape whatever
// the body: integers of 16 or more digits as their exact decimal strings, every other number as a
// JS number. Two ways to get it, because lossless-json alone (a parser written in JS) made the
// bench's sync ~40 % more CPU (docs/sync.md): long integers written as values are quoted, then the
// native parser runs; a body where that quoting is not safe is read by lossless-json, told to
// give the same shape.
import { parse as parseLossless } from 'lossless-json';

// A long integer right after `:`, `,` or `[` and right before `,`, `}` or `]`: a value, never a
// part of a longer number. Inside a string the same characters may appear; quoting there closes
// the string right before a digit, which no valid JSON has, so the native parse fails and
// lossless-json reads the original text instead.
const LONG_INTEGER = /([:,[]\s*)(-?\d{16,})(?=\s*[,}\]])/g;
const LONG_INTEGER_TOKEN = /^-?\d{16,}$/;

const sameShape = (token: string): number | string =>
  LONG_INTEGER_TOKEN.test(token) ? token : Number(token);

/** JSON text -> value, with every integer of 16+ digits as its exact decimal string. */
export function parseJsonExact(text: string): unknown {
  const quoted = text.replace(LONG_INTEGER, '$1"$2"');
  try {
    return JSON.parse(quoted);
  } catch (err) {
    if (quoted === text) throw err;
    return parseLossless(text, null, sameShape);
  }
}
