// What an export file is, from its first bytes, and its text as a stream.
// Real exports arrive as UTF-8 with or without BOM, GB18030/GBK (Excel's "CSV"
// on Chinese Windows), UTF-16LE with BOM (Excel's "Unicode text"), or as an
// .xlsx workbook. DuckDB's reader decodes none of GB18030 offline, so Pledge
// decodes every text export itself, chunk by chunk, and never holds the file.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { PledgeError } from './errors.ts';

export type FileFormat = 'csv' | 'xlsx';

export interface Detected {
  format: FileFormat;
  /** iconv-lite encoding name, e.g. "utf-8", "gb18030", "utf-16le"; "xlsx" for workbooks. */
  encoding: string;
  /** How it was decided, for `pledge validate`: "byte-order mark", "valid UTF-8", "--encoding" … */
  how: string;
  bom: boolean;
}

const SAMPLE_BYTES = 65_536;

/** Canonical names for what people type after --encoding. */
const ENCODING_ALIASES: Record<string, string> = {
  utf8: 'utf-8', 'utf-8': 'utf-8', 'utf-8-bom': 'utf-8', gbk: 'gbk', gb2312: 'gbk', cp936: 'gbk', gb18030: 'gb18030',
  'utf-16': 'utf-16le', 'utf-16le': 'utf-16le', utf16le: 'utf-16le', 'utf-16be': 'utf-16be', utf16be: 'utf-16be',
  latin1: 'latin1', 'iso-8859-1': 'latin1', big5: 'big5',
};

export function normaliseEncoding(name: string, source: string): string {
  const key = name.trim().toLowerCase();
  const enc = ENCODING_ALIASES[key] ?? key;
  if (!iconv.encodingExists(enc)) {
    throw new PledgeError(`${source}: unknown encoding "${name}" (try utf-8, gb18030, gbk or utf-16le)`);
  }
  return enc;
}

export async function readSample(path: string, bytes = SAMPLE_BYTES): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Decides the format and encoding from the first 64 KiB. Order matters: a
 * byte-order mark is certain; a zip signature is a workbook; NUL bytes mean a
 * binary file (UTF-16 without a BOM is not something Excel writes); text that is
 * valid UTF-8 is UTF-8 (GBK text of any length almost never is); the rest is
 * GB18030, the superset of GBK and GB2312.
 */
export function detectEncoding(sample: Buffer, path: string, override?: string): Detected {
  if (sample.length >= 4 && sample.readUInt32BE(0) === 0x504b0304) {
    return { format: 'xlsx', encoding: 'xlsx', how: 'zip signature (Excel workbook)', bom: false };
  }
  if (override) return { format: 'csv', encoding: normaliseEncoding(override, '--encoding'), how: '--encoding', bom: hasBom(sample) };
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { format: 'csv', encoding: 'utf-8', how: 'byte-order mark', bom: true };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { format: 'csv', encoding: 'utf-16le', how: 'byte-order mark', bom: true };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { format: 'csv', encoding: 'utf-16be', how: 'byte-order mark', bom: true };
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    throw new PledgeError(`${path}: byte ${nul + 1}: a NUL byte: this is a binary file, not a CSV export or workbook`);
  }
  if (isUtf8(sample)) return { format: 'csv', encoding: 'utf-8', how: 'valid UTF-8', bom: false };
  return { format: 'csv', encoding: 'gb18030', how: 'not UTF-8: read as GB18030 (GBK)', bom: false };
}

function hasBom(sample: Buffer): boolean {
  return (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf)
    || (sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff);
}

/** Valid UTF-8, allowing a character cut in two at the end of the sample. */
function isUtf8(sample: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The file's text, decoded chunk by chunk (iconv-lite keeps characters split
 * across chunks whole, and drops the byte-order mark).
 */
export async function* decodedText(path: string, encoding: string): AsyncGenerator<string> {
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const text = decoder.write(chunk as Buffer);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
