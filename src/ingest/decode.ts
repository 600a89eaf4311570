// What an export file is, from its first bytes, and its text as a stream.
// Real exports arrive as UTF-8 with or without BOM, GB18030/GBK (Excel's "CSV"
// on Chinese Windows), UTF-16LE with BOM (Excel's "Unicode text"), or as an
// .xlsx workbook. DuckDB's reader decodes none of GB18030 offline, so Pledge
// decodes every text export itself, chunk by chunk, and never holds the file.
//
// Every byte of the file is checked in the one pass that decodes it: a byte
// sequence that is not valid in the file's encoding never becomes a silent
// U+FFFD. It stands in the text as escapes (below) that the record splitter
// finds, so that record is rejected naming the bytes, and the rest loads.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { PledgeError } from '../core/errors.ts';

export type FileFormat = 'csv' | 'xlsx';

export interface Detected {
  format: FileFormat;
  /** iconv-lite encoding name, e.g. "utf-8", "gb18030", "utf-16le"; "xlsx" for workbooks. */
  encoding: string;
  /**
   * How it was decided, for `pledge validate`: "byte-order mark", "--encoding", or what detection
   * weighed. Without a BOM or --encoding the choice is made while the text streams (at the first
   * byte above 0x7F), so encoding and how are final only once the records have been read.
   */
  how: string;
  bom: boolean;
  /** Invalid byte sequences met so far (each one stands in the text as escapes, see ESCAPED). */
  invalid: number;
}

const SAMPLE_BYTES = 65_536;
/** Bytes from the first non-ASCII byte on that detection weighs (ASCII says nothing about the encoding). */
const WINDOW_BYTES = 65_536;

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
 * Decides the format from the first 64 KiB, and the encoding when the first bytes settle it.
 * Order matters: a byte-order mark is certain; a zip signature is a workbook; NUL bytes mean
 * UTF-16 without a BOM (refused with the --encoding to give: Excel does not write it, so it
 * is not guessed) or a binary file. Otherwise the encoding is left to decodedText, which
 * decides at the first byte above 0x7F (see decide): until then UTF-8 and GB18030 read alike.
 */
export function detectEncoding(sample: Buffer, path: string, override?: string): Detected {
  if (sample.length >= 4 && sample.readUInt32BE(0) === 0x504b0304) {
    return { format: 'xlsx', encoding: 'xlsx', how: 'zip signature (Excel workbook)', bom: false, invalid: 0 };
  }
  const csv = (encoding: string, how: string, bom: boolean): Detected => ({ format: 'csv', encoding, how, bom, invalid: 0 });
  if (override) return csv(normaliseEncoding(override, '--encoding'), '--encoding', hasBom(sample));
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return csv('utf-8', 'byte-order mark', true);
  if (sample[0] === 0xff && sample[1] === 0xfe) return csv('utf-16le', 'byte-order mark', true);
  if (sample[0] === 0xfe && sample[1] === 0xff) return csv('utf-16be', 'byte-order mark', true);
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    const utf16 = utf16Without(sample);
    if (utf16) throw new PledgeError(`${path}: ${utf16}`);
    throw new PledgeError(`${path}: byte ${nul + 1}: a NUL byte: this is a binary file, not a CSV export or workbook`);
  }
  return csv('utf-8', UNDECIDED, false);
}

/** `how` until decodedText has decided (never printed: the decision replaces it). */
const UNDECIDED = 'undecided';

/**
 * UTF-16 without a byte-order mark: text mostly in the first 256 code points puts a NUL in
 * every other byte (odd offsets little-endian, even offsets big-endian) and almost none in
 * the others. A binary file has NULs wherever.
 */
function utf16Without(sample: Buffer): string | undefined {
  const nul = [0, 0];
  const n = sample.length - (sample.length % 2);
  for (let i = 0; i < n; i++) if (sample[i] === 0) nul[i % 2]++;
  const pairs = n / 2;
  if (pairs < 2) return undefined;
  const say = (enc: string, at: string, count: number) => `no byte-order mark, but ${count.toLocaleString('en-US')} of the first ${pairs.toLocaleString('en-US')} byte pairs ${at} a NUL byte, as ${enc.toUpperCase()} text does: try --encoding ${enc}`;
  // A quarter of the characters ASCII (digits, commas, line breaks) is plenty for a CSV export;
  // the other half holds a NUL only for characters such as 一 (U+4E00), far fewer.
  if (nul[1] >= pairs / 4 && nul[0] <= nul[1] / 4) return say('utf-16le', 'end in', nul[1]);
  if (nul[0] >= pairs / 4 && nul[1] <= nul[0] / 4) return say('utf-16be', 'begin with', nul[0]);
  return undefined;
}

function hasBom(sample: Buffer): boolean {
  return (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf)
    || (sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff);
}

// ---------------------------------------------------------------------------------------------
// Escapes. An invalid byte b stands in the decoded text as the lone low surrogate U+DC00+b
// (Python's "surrogateescape", extended to all 256 bytes for UTF-16). No decoded text holds a
// lone surrogate otherwise: UTF-8 and GB18030 decode only to whole characters, and a lone
// surrogate in UTF-16 is itself invalid, so it is escaped too.

const escapeByte = (b: number) => String.fromCharCode(0xdc00 | b);

/** An escaped byte: a low surrogate in U+DC00–U+DCFF without a high surrogate before it. */
export const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC00-\uDCFF]/;
const ESCAPED_ALL = /(?<![\uD800-\uDBFF])[\uDC00-\uDCFF]+/g;
const SUSPECT_GB = /[\uFFFD\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The runs of escaped bytes in a text: where each starts (UTF-16 index) and its bytes. */
export function escapedRuns(text: string): { index: number; bytes: number[] }[] {
  const runs: { index: number; bytes: number[] }[] = [];
  for (const m of text.matchAll(ESCAPED_ALL)) {
    runs.push({ index: m.index!, bytes: Array.from(m[0], (c) => c.charCodeAt(0) & 0xff) });
  }
  return runs;
}

/** The text with each escaped byte shown as U+FFFD (for a reject's raw line: the reason names the bytes). */
export function withoutEscapes(text: string): string {
  return text.replace(ESCAPED_ALL, (m) => '\ufffd'.repeat(m.length));
}

export const hexBytes = (bytes: number[]) => bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');

/** What to try instead, for a record not valid in `encoding`: the other of the two encodings exports use. */
export function encodingHint(encoding: string): string {
  if (encoding === 'utf-8') return ': try --encoding gb18030';
  if (encoding === 'gb18030' || encoding === 'gbk') return ': try --encoding utf-8';
  return '';
}

// ---------------------------------------------------------------------------------------------
// Byte sequences. Each scanner returns the length of the valid sequence at i, minus the
// length of an invalid one, or 0 when the buffer ends before the sequence does.

/** UTF-8 as the WHATWG decoder reads it: an invalid sequence is its longest valid-looking prefix. */
function utf8Seq(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i];
  if (b < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
  else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
  else return -1;
  for (let k = 1; k <= need; k++) {
    if (i + k >= end) return 0;
    const c = buf[i + k];
    if (c < lo || c > hi) return -k;
    lo = 0x80; hi = 0xbf;
  }
  return need + 1;
}

/**
 * GB18030 as the WHATWG decoder (and iconv-lite) read it: 0x00–0x80 one byte (0x80 is €), a
 * lead 0x81–0xFE with a trail 0x40–0x7E or 0x80–0xFE, or four bytes lead, 0x30–0x39, 0x81–0xFE,
 * 0x30–0x39 within the ranges that map to a character. GBK has no four-byte form. An invalid
 * lead is one byte: what follows it is read again.
 */
function gbSeq(buf: Uint8Array, i: number, end: number, fourByte: boolean): number {
  const b = buf[i];
  if (b <= 0x80) return 1;
  if (b === 0xff) return -1;
  if (i + 1 >= end) return 0;
  const c = buf[i + 1];
  if ((c >= 0x40 && c <= 0x7e) || (c >= 0x80 && c <= 0xfe)) return 2;
  if (!fourByte || c < 0x30 || c > 0x39) return -1;
  if (i + 2 >= end) return 0;
  const d = buf[i + 2];
  if (d < 0x81 || d > 0xfe) return -1;
  if (i + 3 >= end) return 0;
  const e = buf[i + 3];
  if (e < 0x30 || e > 0x39) return -1;
  const pointer = (((b - 0x81) * 10 + (c - 0x30)) * 126 + (d - 0x81)) * 10 + (e - 0x30);
  return pointer <= 39419 || (pointer >= 189000 && pointer <= 1237575) ? 4 : -4;
}

interface Tally { ok: number; bad: number }

/** Multi-byte characters and invalid sequences in buf[from, to), a sequence cut off at `to` not counted. */
function tally(buf: Uint8Array, from: number, to: number, seq: (buf: Uint8Array, i: number, end: number) => number): Tally {
  const t = { ok: 0, bad: 0 };
  for (let i = from; i < to;) {
    if (buf[i] < 0x80) { i++; continue; }
    const n = seq(buf, i, to);
    if (n === 0) break;
    if (n > 0) { t.ok++; i += n; } else { t.bad++; i -= n; }
  }
  return t;
}

const n = (v: number) => v.toLocaleString('en-US');

/**
 * UTF-8 or GB18030, from the window of bytes starting at the first one above 0x7F. UTF-8 when
 * at least 90% of the multi-byte sequences there are valid UTF-8: its structure (a lead byte,
 * then exactly as many continuation bytes as it says) is improbable by chance, and GBK text
 * read as UTF-8 is invalid at most characters. GB18030 reads almost any pair of high bytes,
 * so UTF-8 text read as GB18030 may show few errors (none in runs of Chinese of an even
 * number of bytes): its count decides only below that, the encoding with fewer invalid
 * sequences winning, UTF-8 on a tie. A few damaged bytes are then rejected rows, not a
 * reason to read the whole file another way.
 */
function decide(window: Buffer, firstAt: number, detected: Detected): void {
  const u = tally(window, 0, window.length, utf8Seq);
  const g = tally(window, 0, window.length, (b, i, e) => gbSeq(b, i, e, true));
  const where = `the ${n(window.length)} bytes from byte ${n(firstAt + 1)} (the first above 0x7F)`;
  if (u.bad * 9 <= u.ok || u.bad <= g.bad) {
    detected.encoding = 'utf-8';
    detected.how = u.bad === 0
      ? `valid UTF-8: ${where} hold ${n(u.ok)} multi-byte characters, none invalid`
      : `UTF-8: ${where} hold ${n(u.ok)} multi-byte characters and ${n(u.bad)} invalid sequences (as GB18030: ${n(g.bad)} invalid)`;
  } else {
    detected.encoding = 'gb18030';
    detected.how = `not UTF-8: read as GB18030 (GBK): ${where} hold ${n(g.bad)} invalid sequences as GB18030, ${n(u.bad)} as UTF-8`;
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding with escapes, one complete piece at a time: each chunk is cut after its last whole
// character (the rest waits for the next chunk), so every piece decodes on its own.

interface Codec {
  /** Where the last whole character of buf ends (buf starts at a character). */
  cut(buf: Buffer): number;
  /** A piece of whole characters (or, at the end of the file, whatever is left). */
  decode(piece: Buffer, detected: Detected): string;
  /** What a stateful decoder still holds at the end of the file. */
  end?(): string;
}

const utf8Codec: Codec = {
  cut(buf) {
    let p = buf.length - 1;
    for (let k = 0; k < 3 && p >= 0 && (buf[p] & 0xc0) === 0x80; k++) p--;
    if (p < 0 || buf[p] < 0x80) return buf.length;
    const need = buf[p] >= 0xf0 ? 4 : buf[p] >= 0xe0 ? 3 : buf[p] >= 0xc0 ? 2 : 1;
    return p + need > buf.length ? p : buf.length;
  },
  decode(piece, detected) {
    // Almost every piece is valid: checked at memory speed, decoded by Node.
    if (isUtf8(piece)) return piece.toString('utf8');
    return escapeInvalid(piece, detected, utf8Seq, (span) => span.toString('utf8'));
  },
};

function gbCodec(encoding: 'gb18030' | 'gbk'): Codec {
  const fourByte = encoding === 'gb18030';
  const seq = (b: Uint8Array, i: number, e: number) => gbSeq(b, i, e, fourByte);
  const plain = (span: Buffer) => iconv.decode(span, encoding, { stripBOM: false });
  return {
    cut(buf) {
      // A byte below 0x30 is never part of a multi-byte character: whole characters end after the last one.
      let from = buf.length - 1;
      while (from >= 0 && buf[from] >= 0x30) from--;
      let i = from + 1;
      while (i < buf.length) {
        const len = seq(buf, i, buf.length);
        if (len === 0) return i;
        i += Math.abs(len);
      }
      return buf.length;
    },
    decode(piece, detected) {
      const text = plain(piece);
      // iconv-lite writes U+FFFD for an invalid sequence (and stray surrogates for an unmapped
      // four-byte one); only a piece holding either is walked byte by byte (one test of a
      // character class: a piece with a real character beyond U+FFFF is walked too, rightly read).
      if (!SUSPECT_GB.test(text)) return text;
      return escapeInvalid(piece, detected, seq, plain);
    },
  };
}

/** The piece decoded span by span between invalid sequences, each of which becomes escapes. */
function escapeInvalid(piece: Buffer, detected: Detected, seq: (b: Uint8Array, i: number, e: number) => number, plain: (span: Buffer) => string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < piece.length;) {
    if (piece[i] < 0x80) { i++; continue; }
    let len = seq(piece, i, piece.length);
    if (len > 0) { i += len; continue; }
    // Cut off by the end of the file: the bytes left are one invalid sequence.
    if (len === 0) len = i - piece.length;
    if (i > start) out += plain(piece.subarray(start, i));
    for (let k = 0; k < -len; k++) out += escapeByte(piece[i + k]);
    detected.invalid++;
    i -= len;
    start = i;
  }
  if (start < piece.length) out += plain(piece.subarray(start));
  return out;
}

function utf16Codec(littleEndian: boolean): Codec {
  return {
    cut(buf) {
      let end = buf.length - (buf.length % 2);
      // A high surrogate at the end waits for its low half.
      if (end >= 2) {
        const last = littleEndian ? buf[end - 1] : buf[end - 2];
        if (last >= 0xd8 && last <= 0xdb) end -= 2;
      }
      return end;
    },
    decode(piece, detected) {
      const even = piece.length - (piece.length % 2);
      const units = littleEndian ? piece.subarray(0, even) : Buffer.from(piece.subarray(0, even)).swap16();
      let text = units.toString('utf16le').replace(LONE_SURROGATE, (u) => {
        detected.invalid++;
        const c = u.charCodeAt(0);
        return littleEndian ? escapeByte(c & 0xff) + escapeByte(c >> 8) : escapeByte(c >> 8) + escapeByte(c & 0xff);
      });
      // An odd byte at the end of the file: half a character.
      if (even < piece.length) { text += escapeByte(piece[even]); detected.invalid++; }
      return text;
    },
  };
}

/** Encodings without a check of their own (latin1, big5 …): decoded as iconv-lite does. */
function plainCodec(encoding: string): Codec {
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  return { cut: (buf) => buf.length, decode: (piece) => decoder.write(piece), end: () => decoder.end() ?? '' };
}

function codecFor(encoding: string): Codec {
  if (encoding === 'utf-8') return utf8Codec;
  if (encoding === 'gb18030' || encoding === 'gbk') return gbCodec(encoding);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return utf16Codec(encoding === 'utf-16le');
  return plainCodec(encoding);
}

/**
 * The file's text, decoded chunk by chunk in one pass, with every invalid byte sequence
 * escaped (and counted in detected.invalid). Without a BOM or --encoding, the ASCII before
 * the first byte above 0x7F passes as it is (every candidate reads it alike); then the next
 * WINDOW_BYTES are held, decide() picks the encoding, and the rest streams. The byte-order
 * mark is dropped. At the end, detected.how says what the whole file held.
 */
export async function* decodedText(path: string, detected: Detected): AsyncGenerator<string> {
  let codec = detected.how === UNDECIDED ? undefined : codecFor(detected.encoding);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let offset = 0;
  let firstAt = -1;
  let carry: Buffer | undefined;
  let first = true;
  const emit = (piece: Buffer): string => {
    let text = codec!.decode(piece, detected);
    if (first && text.length) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };
  const feed = (chunk: Buffer, eof: boolean): string => {
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    const end = eof ? buf.length : codec!.cut(buf);
    carry = end < buf.length ? Buffer.from(buf.subarray(end)) : undefined;
    return emit(buf.subarray(0, end));
  };
  const settle = (eof: boolean): string => {
    const held = Buffer.concat(pending);
    decide(held.subarray(0, WINDOW_BYTES), firstAt, detected);
    codec = codecFor(detected.encoding);
    pending = [];
    return feed(held, eof);
  };

  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk = raw as Buffer;
    if (codec) {
      const text = feed(chunk, false);
      if (text) yield text;
      continue;
    }
    if (firstAt < 0) {
      if (isAscii(chunk)) {
        offset += chunk.length;
        first = false;
        yield chunk.toString('latin1');
        continue;
      }
      let i = 0;
      while (chunk[i] < 0x80) i++;
      firstAt = offset + i;
      if (i > 0) { first = false; yield chunk.toString('latin1', 0, i); }
      pending.push(chunk.subarray(i));
      pendingBytes += chunk.length - i;
    } else {
      pending.push(chunk);
      pendingBytes += chunk.length;
    }
    if (pendingBytes >= WINDOW_BYTES) {
      const text = settle(false);
      if (text) yield text;
    }
  }
  if (!codec && firstAt >= 0) {
    const text = settle(true);
    if (text) yield text;
  } else if (codec) {
    const text = (carry ? feed(Buffer.alloc(0), true) : '') + (codec.end?.() ?? '');
    if (text) yield text;
  }
  finish(detected);
}

/** What the whole file held, after how the encoding was chosen. */
function finish(detected: Detected): void {
  if (detected.how === UNDECIDED) {
    detected.how = 'ASCII only: no byte above 0x7F in the whole file (UTF-8 and GB18030 read it alike)';
    return;
  }
  if (!['utf-8', 'gb18030', 'gbk', 'utf-16le', 'utf-16be'].includes(detected.encoding)) return;
  detected.how += detected.invalid
    ? `; the whole file checked: ${n(detected.invalid)} invalid byte sequence${detected.invalid === 1 ? ', the row holding it' : 's, the rows holding them'} rejected`
    : '; the whole file checked: no invalid byte sequence';
}
