// The record splitter sees the file in chunks of any size: a record, a CRLF or
// an escaped "" cut between two chunks must give the same records as the
// whole text at once. Expected records written out by hand from the text.
import { describe, expect, it } from 'vitest';
import { RecordSplitter, countFields, type CsvRecord } from '../../src/ingest/csv-records.ts';

const TEXT = 'id,text\r\n1,"a ""b"", c"\r\n2,"x\r\ny"\n3,他说"不行\r4,plain\r\n\r\n5,"open';

// Lines: 1 header; 2 record 1; 3–4 record 2 (CRLF inside quotes); 5 record 3 (ends with CR);
// 6 record 4; 7 blank; 8 record 5, cut off inside quotes.
const EXPECTED: CsvRecord[] = [
  { line: 1, text: 'id,text', closed: true },
  { line: 2, text: '1,"a ""b"", c"', closed: true },
  { line: 3, text: '2,"x\r\ny"', closed: true },
  { line: 5, text: '3,他说"不行', closed: true },
  { line: 6, text: '4,plain', closed: true },
  { line: 8, text: '5,"open', closed: false },
];

function split(chunks: string[]): CsvRecord[] {
  const s = new RecordSplitter();
  const out: CsvRecord[] = [];
  for (const c of chunks) s.push(c, out);
  s.end(out);
  return out;
}

describe('RecordSplitter', () => {
  it('splits the whole text into the records written out above', () => {
    expect(split([TEXT])).toEqual(EXPECTED);
  });

  it('gives the same records for every place the text can be cut in two', () => {
    for (let i = 1; i < TEXT.length; i++) expect(split([TEXT.slice(0, i), TEXT.slice(i)])).toEqual(EXPECTED);
  });

  it('gives the same records one character at a time', () => {
    expect(split([...TEXT])).toEqual(EXPECTED);
  });
});

describe('countFields', () => {
  it('counts delimiters outside quotes, with "" inside quotes and a stray quote mid-field', () => {
    expect(countFields('1,"a ""b"", c"', ',')).toBe(2);
    expect(countFields('3,他说"不行,x', ',')).toBe(3);
    expect(countFields('a\tb\t"c\td"', '\t')).toBe(3);
  });
});
