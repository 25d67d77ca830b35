import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { attachment, csvStream } from './csv-stream';

const read = async (r: Readable): Promise<string> => {
  let s = '';
  for await (const c of r) s += String(c);
  return s;
};

describe('csvStream', () => {
  const columns = [
    { header: 'name', value: (r: { name: string | null; n: number }) => r.name },
    { header: 'n', value: (r: { name: string | null; n: number }) => r.n },
  ];
  async function* batches<T>(...b: T[][]): AsyncGenerator<T[]> {
    for (const x of b) yield x;
  }

  it('writes RFC 4180: header, CRLF, quotes and doubled quotes, line breaks quoted', async () => {
    const text = await read(
      csvStream(
        columns,
        batches(
          [{ name: 'a,b', n: 1 }],
          [
            { name: 'say "hi"', n: 2 },
            { name: 'x\ny', n: 3 },
          ],
        ),
      ),
    );
    expect(text).toBe('name,n\r\n"a,b",1\r\n"say ""hi""",2\r\n"x\ny",3\r\n');
    expect(parse(text, { columns: true })).toEqual([
      { name: 'a,b', n: '1' },
      { name: 'say "hi"', n: '2' },
      { name: 'x\ny', n: '3' },
    ]);
  });

  it.each(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('neutralises %j', async (cell) => {
    const [row] = parse<Record<string, string>>(
      await read(csvStream(columns, batches([{ name: cell, n: 0 }]))),
      {
        columns: true,
      },
    );
    expect(row.name).toBe(`'${cell}`);
  });

  it('null is an empty cell; no rows is the header alone', async () => {
    expect(await read(csvStream(columns, batches([{ name: null, n: 5 }])))).toBe(
      'name,n\r\n,5\r\n',
    );
    expect(await read(csvStream(columns, batches()))).toBe('name,n\r\n');
  });

  it('a failing source destroys the output instead of ending it cleanly', async () => {
    async function* failing(): AsyncGenerator<{ name: string; n: number }[]> {
      yield [{ name: 'a', n: 1 }];
      throw new Error('database gone');
    }
    await expect(read(csvStream(columns, failing()))).rejects.toThrow();
  });

  it('filenames are ASCII without quotes', () => {
    expect(attachment('webinar-1 "x".csv')).toBe('attachment; filename="webinar-1-x-.csv"');
  });
});
