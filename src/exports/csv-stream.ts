import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | null;
}

/**
 * A CSV document (RFC 4180: CRLF line ends, quoting by csv-stringify; UTF-8; a header row) of the
 * rows the batches yield, produced as the reader consumes it: one batch is in memory at a time,
 * and the next is only read from the database when the socket has taken the previous one.
 * Cells beginning with `=`, `+`, `-`, `@`, tab or CR are prefixed with `'` (CSV injection:
 * csv-stringify's `escape_formulas`).
 */
export function csvStream<T>(columns: CsvColumn<T>[], batches: AsyncIterable<T[]>): Readable {
  async function* records(): AsyncGenerator<Array<string | number | null>> {
    for await (const batch of batches)
      for (const row of batch) yield columns.map((c) => c.value(row));
  }
  const csv = stringify({
    header: true,
    columns: columns.map((c) => c.header),
    record_delimiter: 'windows',
    escape_formulas: true,
    // RFC 4180 quotes a field holding a line break; csv-stringify only quotes the record
    // delimiter itself (CRLF), so a bare LF or CR would otherwise go out unquoted.
    quoted_match: /[\r\n]/,
  });
  // pipeline: a database error mid-way destroys the output (the client sees a cut response)
  // instead of leaving it hanging.
  pipeline(Readable.from(records()), csv, () => undefined);
  return csv;
}

/** `attachment; filename="…"` with an ASCII-only, quote-free name. */
export function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]+/g, '-')}"`;
}
