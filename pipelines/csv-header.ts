// Reads just the header row of an export (any encoding, or a workbook's first
// row), to decide what the file is and how its columns map before the whole of
// it is read.
import { openExport, type OpenOptions } from './export-source.ts';

export async function readHeader(path: string, opts: OpenOptions = {}): Promise<string[]> {
  const source = await openExport(path, opts);
  await source.close();
  return source.header;
}
