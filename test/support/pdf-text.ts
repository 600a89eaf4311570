// The text of a PDF that Chromium printed, page by page, read from the file's own
// structure (no pdftotext or pdf.js on the machine): each page's content streams
// (FlateDecode), the text it shows (Tj / TJ with hex glyph strings), and each
// font's ToUnicode CMap (bfchar / bfrange) to turn glyphs back into characters.
// Enough for what Chromium writes (Skia: no object streams, Type0 fonts); not a
// general PDF reader.
import { inflateSync } from 'node:zlib';

interface PdfObject { dict: string; stream?: Buffer }

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    if (s >= 0 && body.lastIndexOf('endstream') > s) {
      const dict = body.slice(0, s);
      let dataStart = start + s + 'stream'.length;
      if (text[dataStart] === '\r') dataStart++;
      if (text[dataStart] === '\n') dataStart++;
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      let data = pdf.subarray(dataStart, dataStart + length);
      if (/\/FlateDecode/.test(dict)) data = inflateSync(data);
      out.set(Number(m[1]), { dict, stream: data });
    } else {
      out.set(Number(m[1]), { dict: body });
    }
    re.lastIndex = end;
  }
  return out;
}

const ref = (s: string | undefined) => (s === undefined ? undefined : Number(s));

/** glyph code (hex) → text, from a ToUnicode CMap; `width`: hex digits per code (its codespace range). */
function cmap(source: string): { map: Map<string, string>; width: number } {
  const map = new Map<string, string>();
  const width = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(source)?.[1].length ?? 4;
  const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, uni] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(code.toUpperCase(), utf16(uni));
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, uni] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const width = lo.length;
      for (let c = parseInt(lo, 16), u = parseInt(uni, 16); c <= parseInt(hi, 16); c++, u++) {
        map.set(c.toString(16).toUpperCase().padStart(width, '0'), String.fromCharCode(u));
      }
    }
  }
  return { map, width };
}

/** Every page's text, in page order; the text of one BT … ET block is joined without spaces, blocks by a space. */
export function pdfPageTexts(pdf: Buffer): string[] {
  const objs = objects(pdf);
  const dictOf = (n: number | undefined) => (n === undefined ? '' : objs.get(n)?.dict ?? '');
  const pages = [...objs.entries()].filter(([, o]) => /\/Type\s*\/Page\b/.test(o.dict));
  // Page order: the page tree's /Kids, depth first (a long document's tree has inner /Pages nodes).
  const kidsOf = (n: number): number[] => {
    const d = dictOf(n);
    if (!/\/Type\s*\/Pages\b/.test(d)) return [n];
    return [...(/\/Kids\s*\[([^\]]*)\]/.exec(d)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].flatMap((k) => kidsOf(Number(k[1])));
  };
  const roots = [...objs.entries()].filter(([, o]) => /\/Type\s*\/Pages\b/.test(o.dict) && !/\/Parent/.test(o.dict)).map(([n]) => n);
  const order = roots.length ? roots.flatMap(kidsOf) : pages.map(([n]) => n);
  const cmaps = new Map<number, { map: Map<string, string>; width: number }>();
  const fontMap = (font: number) => {
    if (!cmaps.has(font)) {
      const tu = ref(/\/ToUnicode (\d+) 0 R/.exec(dictOf(font))?.[1]);
      cmaps.set(font, tu === undefined ? { map: new Map(), width: 4 } : cmap(objs.get(tu)?.stream?.toString('latin1') ?? ''));
    }
    return cmaps.get(font)!;
  };
  return order.map((n) => {
    const page = dictOf(n);
    let resources = /\/Resources\s*(<<[\s\S]*>>)/.exec(page)?.[1] ?? '';
    const resRef = ref(/\/Resources (\d+) 0 R/.exec(page)?.[1]);
    if (resRef !== undefined) resources = dictOf(resRef);
    let fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
    const fontRef = ref(/\/Font (\d+) 0 R/.exec(resources)?.[1]);
    if (fontRef !== undefined) fontDict = dictOf(fontRef);
    const fonts = new Map([...fontDict.matchAll(/\/([A-Za-z0-9_.+-]+)\s+(\d+) 0 R/g)].map((f) => [f[1], Number(f[2])]));
    const contents = /\/Contents\s*\[([^\]]*)\]/.exec(page)?.[1] ?? /\/Contents (\d+ 0 R)/.exec(page)?.[1] ?? '';
    const stream = [...contents.matchAll(/(\d+) 0 R/g)].map((c) => objs.get(Number(c[1]))?.stream?.toString('latin1') ?? '').join('\n');
    const blocks: string[] = [];
    let current: { map: Map<string, string>; width: number } = { map: new Map(), width: 4 };
    for (const bt of stream.matchAll(/BT([\s\S]*?)ET/g)) {
      let text = '';
      for (const op of bt[1].matchAll(/\/([A-Za-z0-9_.+-]+)\s+[\d.]+\s+Tf|(\[[^\]]*\]|<[0-9A-Fa-f]*>)\s*(TJ|Tj)/g)) {
        if (op[1]) { current = fontMap(fonts.get(op[1]) ?? -1); continue; }
        for (const hex of op[2].matchAll(/<([0-9A-Fa-f]*)>/g)) {
          // Type0 fonts: two-byte codes; Type3 (Chromium's CJK glyphs): one byte.
          for (const code of hex[1].toUpperCase().match(new RegExp(`.{${current.width}}`, 'g')) ?? []) text += current.map.get(code) ?? '';
        }
      }
      blocks.push(text);
    }
    return blocks.join(' ');
  });
}
