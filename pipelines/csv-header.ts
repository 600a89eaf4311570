// Reads just the header row of a CSV file, to decide what the file is and how
// its columns map before DuckDB reads the whole of it.
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

export async function readHeader(path: string, maxBytes = 65_536): Promise<string[]> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(maxBytes);
    const { bytesRead } = await fh.read(buf, 0, maxBytes, 0);
    let text = buf.subarray(0, bytesRead).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const end = firstRecordEnd(text);
    if (end < 0) return [];
    const rows = parse(text.slice(0, end), { relax_column_count: true, bom: true }) as string[][];
    return (rows[0] ?? []).map((h) => h.trim());
  } finally {
    await fh.close();
  }
}

/** Index just past the first record's line break, honouring quotes; the whole text if there is none. */
function firstRecordEnd(text: string): number {
  if (text.length === 0) return -1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) return i;
  }
  return text.length;
}
