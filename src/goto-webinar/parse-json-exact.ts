// GoTo writes its 64-bit keys (registrantKey, webinarKey, sessionKey, ...) as bare JSON numbers,
// which JSON.parse would round (8325357307900339981 -> 8325357307900340000). lossless-json keeps
// them but is a JavaScript parser: about 4x slower than the native one and an object per number.
// So: integers of 16 or more digits written as values are quoted first, then the native parser
// runs; every other number stays a JS number (safe: at most 15 digits, or not an integer key).
import { parse as parseLossless } from 'lossless-json';

// A long integer right after `:`, `,` or `[` and right before `,`, `}` or `]`: a value, never a
// part of a longer number. Inside a string the same characters may appear; quoting there closes
// the string right before a digit, which no valid JSON has, so the native parse fails and the
// lossless parser (always right, only slower) reads the original text instead.
const LONG_INTEGER = /([:,[]\s*)(-?\d{16,})(?=\s*[,}\]])/g;

/**
 * JSON text -> value, with every integer of 16+ digits as its exact decimal string. The rare
 * fallback returns lossless-json's LosslessNumber for all numbers; readers accept both.
 */
export function parseJsonExact(text: string): unknown {
  const quoted = text.replace(LONG_INTEGER, '$1"$2"');
  try {
    return JSON.parse(quoted);
  } catch (err) {
    if (quoted === text) throw err;
    return parseLossless(text);
  }
}
