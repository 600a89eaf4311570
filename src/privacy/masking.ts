// Personal data in outputs: masked by default (严禁泄露用户个人信息).
//
// One set of rules, written once, used two ways:
//   - in TypeScript (maskRows), for every row a report or `pledge query` shows;
//   - as DuckDB macros (PII_MACROS, loaded into every session), for files DuckDB
//     writes itself (COPY … to CSV/Parquet) and for SQL that wants masked text.
// test/privacy/pii.test.ts runs a hand-written table of examples through both and
// expects the same answer from each.
//
// The warehouse itself keeps only these masked forms and pseudonyms (the values as read
// are in a separate file, src/privacy/personal.ts); masking outputs is the second line.
//   names      张三丰 → 张**  (surname kept, length hidden);  John Smith → J*** S****
//   mobiles    13812345678 → 138****5678; +86 138 1234 5678 → +86 138****5678
//   ID numbers 11010519491231002X → 110***********002X
//   e-mail     zhang.san@example.com → z***@example.com
//   free text  the same patterns inside descriptions and notes, plus names that
//              follow a label (姓名：…, 用户…来电, Mr …, my name is …).
import { sqlIdent, sqlLiteral } from '../core/sql-text.ts';

/**
 * A regex rule in the dialect both JavaScript (flag u) and DuckDB's RE2 read the same way.
 * `needs`: a cheap pattern that every text the rule can change contains (default: the pattern
 * itself). A text with none of the free-text rules' needs is left as it is without running
 * them: most descriptions ("用户反映…" starts with a role word but names no one).
 */
interface TextRule { name: string; pattern: string; replacement: string; needs?: string }

// Order matters: e-mails first (their local part may hold digits), then ID numbers
// (18 digits would otherwise be seen as containing a phone number), then phones.
// Digit boundaries are "(^|[^0-9])" rather than look-behind (RE2 has none); each
// rule therefore runs twice, so two numbers separated by one character are both caught.
const HAN = '\\p{Han}';
export const TEXT_RULES: TextRule[] = [
  {
    // Starts only where a local part can start, so a megabyte of letters is scanned once, not once per letter.
    name: 'email',
    needs: '@',
    pattern: '(^|[^A-Za-z0-9._%+-])([A-Za-z0-9_%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})',
    replacement: '$1$2***@$3',
  },
  {
    // GB 11643: 6-digit region, 8-digit birth date, 3-digit sequence, check digit or X.
    // The birth date must look like one, so long ticket numbers are left alone.
    name: 'resident_id',
    needs: '[0-9]{17}',
    pattern: '(^|[^0-9])([1-9][0-9]{2})[0-9]{3}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])([0-9]{3}[0-9Xx])($|[^0-9A-Za-z])',
    replacement: '$1$2***********$3$4',
  },
  {
    // Mainland mobiles, bare or with +86 / 0086 / 86, with or without separators.
    name: 'mobile',
    needs: '[0-9]{4}',
    pattern: '(^|[^0-9])((?:\\+|00)?86[- ]?)?(1[3-9][0-9])[- ]?[0-9]{4}[- ]?([0-9]{4})($|[^0-9])',
    replacement: '$1$2$3****$4$5',
  },
  {
    // Landlines with an area code: 010-62345678, 0755 2345 6789.
    name: 'landline',
    needs: '[0-9]{4}',
    pattern: '(^|[^0-9])(0[1-9][0-9]{1,2})[- ]?[0-9]{3,4}[- ]?([0-9]{4})($|[^0-9])',
    replacement: '$1$2-****$3$4',
  },
  {
    name: 'labelled_name_zh',
    needs: '姓名|名字|联系人|投诉人|来电人|申请人',
    pattern: `(姓名|名字|联系人|投诉人|来电人|申请人)([:：]\\s*)(${HAN})${HAN}{1,3}`,
    replacement: '$1$2$3**',
  },
  {
    // 用户张三来电反映… : a name between a role word and a verb. The first character may not be a
    // word that usually follows 用户 ("用户来电反映" has no name in it).
    name: 'role_name_zh',
    pattern: `(用户|客户|市民|乘客|患者|业主|居民)([^\\P{Han}来致反投表称对在于的多本再已没不说要希向是和与及等])${HAN}{0,3}?(来电|致电|来访|反映|投诉|表示|称|说|要求|女士|先生)`,
    replacement: '$1$2**$3',
  },
  {
    // Two capitalised words after a title or "my name is", then one; "*" is part of a word so a
    // second pass leaves a masked name as it is.
    name: 'titled_name_en',
    needs: 'Mr|Ms|Miss|Mx|Dr|Sir|Madam',
    pattern: "\\b(Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam)(\\.?\\s+)([A-Z])[A-Za-z'*-]*(\\s+)([A-Z])[A-Za-z'*-]*",
    replacement: '$1$2$3***$4$5***',
  },
  {
    name: 'titled_surname_en',
    needs: 'Mr|Ms|Miss|Mx|Dr|Sir|Madam',
    pattern: "\\b(Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam)(\\.?\\s+)([A-Z])[A-Za-z'*-]*",
    replacement: '$1$2$3***',
  },
  {
    name: 'stated_name_en',
    needs: '[Nn]ame',
    pattern: "\\b([Nn]ame(?:\\s+is|:)\\s*)([A-Z])[A-Za-z'*-]*(\\s+)([A-Z])[A-Za-z'*-]*",
    replacement: '$1$2***$3$4***',
  },
  {
    name: 'stated_single_name_en',
    needs: '[Nn]ame',
    pattern: "\\b([Nn]ame(?:\\s+is|:)\\s*)([A-Z])[A-Za-z'*-]*",
    replacement: '$1$2***',
  },
];

/** What a text must contain for any free-text rule to change it. */
const TEXT_NEEDS = [...new Set(TEXT_RULES.map((r) => r.needs ?? r.pattern))].join('|');

/**
 * A rejected row kept as it was read (rejects.raw_line): either the row as JSON
 * ({"customer_name":"张三",…}) or the raw CSV line when the reader could not split it.
 * Besides the free-text rules, the name fields of the JSON form and any CSV field that
 * looks like a name on its own (2–4 Chinese characters, or two capitalised words) are masked.
 */
export const RAW_LINE_RULES: TextRule[] = [
  {
    name: 'json_name_field',
    pattern: '("(?:customer_name|contact_name|complainant_name|name)"\\s*:\\s*")([^"\\\\])[^"\\\\]*(")',
    replacement: '$1$2**$3',
  },
  {
    name: 'json_customer_id_field',
    pattern: '("customer_id"\\s*:\\s*")[^"\\\\]*(")',
    replacement: '$1***$2',
  },
  {
    name: 'csv_han_name_field',
    pattern: `(^|,)(${HAN})${HAN}{1,3}(,|$)`,
    replacement: '$1$2**$3',
  },
  {
    name: 'csv_latin_name_field',
    pattern: "(^|,)([A-Z])[a-z'-]+ ([A-Z])[a-z'-]+(,|$)",
    replacement: '$1$2*** $3***$4',
  },
];

/** Column names that hold personal data, and how each is masked. */
export type ColumnKind = 'name' | 'phone' | 'id_number' | 'email' | 'address' | 'customer_id' | 'identifier' | 'raw_line' | 'text';

const columnKinds = new Map<string, ColumnKind>();

export function columnKind(column: string): ColumnKind {
  let kind = columnKinds.get(column);
  if (kind === undefined) columnKinds.set(column, kind = kindOfColumn(column));
  return kind;
}

function kindOfColumn(column: string): ColumnKind {
  const c = column.toLowerCase();
  // A digest is no one's data: the sample's draw_key masked where its hex runs like a phone number
  // would no longer be the SHA-256 an assessor re-draws the sample with.
  if (c === 'customer_key' || c === 'complaint_id' || c === 'sha256' || c === 'draw_key' || (/_id$/.test(c) && c !== 'customer_id')) return 'identifier';
  if (c === 'customer_id' || c === 'customer_no') return 'customer_id';
  if (c === 'raw_line' || c === 'csv_line') return 'raw_line';
  // By meaning: a customer's name, never any column called "name" (table names, team labels).
  if (/(^|_)(customer|contact|complainant|caller|client)_?name$/.test(c)) return 'name';
  if (/(phone|mobile|tel|telephone|手机|电话)/.test(c)) return 'phone';
  if (/(id_number|id_no|id_card|identity|resident_id|身份证)/.test(c)) return 'id_number';
  if (/(e_?mail|邮箱)/.test(c)) return 'email';
  if (/(address|addr|地址)/.test(c)) return 'address';
  return 'text';
}

// ---------------------------------------------------------------- TypeScript

/** A pattern of the shared dialect as a JavaScript regex (RE2's \\p{Han} is \\p{Script=Han} there). */
const jsRegex = (pattern: string, flags: string) =>
  new RegExp(pattern.replaceAll('\\p{Han}', '\\p{Script=Han}').replaceAll('\\P{Han}', '\\P{Script=Han}'), flags);
const toJs = (rules: TextRule[]) => rules.map((r) => ({ ...r, regex: jsRegex(r.pattern, 'gu') }));
const jsRules = toJs(TEXT_RULES);
const jsTextNeeds = jsRegex(TEXT_NEEDS, 'u');
const jsRawLineRules = toJs(RAW_LINE_RULES);

function applyRules(value: string, rules: ReturnType<typeof toJs>): string {
  let s = value;
  for (const r of rules) s = s.replace(r.regex, r.replacement).replace(r.regex, r.replacement);
  return s;
}

// An instant as Pledge writes it ("2025-10-09 14:05:00", maybe with microseconds): no rule can
// match it (no @, no run of more than 4 digits, no letters), and reports carry hundreds of
// thousands of them.
const PLAIN_INSTANT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?)?$/;

/** The text with every recognised e-mail, ID number, phone number and labelled name masked. */
export function maskText(value: string): string {
  if (PLAIN_INSTANT.test(value) || !jsTextNeeds.test(value)) return value;
  return applyRules(value, jsRules);
}

/**
 * A rejected row as it was read: its own name values are masked wherever they recur
 * (the JSON form's customer_name, or any CSV field of 2–4 Chinese characters), then the
 * free-text rules and the name-field rules.
 */
export function maskRawLine(value: string): string {
  let s = value;
  for (const n of rawLineNames(value)) s = s.replaceAll(n, `${[...n][0]}**`);
  return applyRules(applyRules(s, jsRules), jsRawLineRules);
}

// A field that is a name on its own: 2–4 Chinese characters, or two capitalised Latin words.
const NAME_FIELD = /^(?:\p{Script=Han}{2,4}|[A-Z][a-z'-]+ [A-Z][a-z'-]+)$/u;

function rawLineNames(value: string): string[] {
  const names: string[] = [];
  if (value.startsWith('{')) {
    try {
      const n = (JSON.parse(value) as Record<string, unknown>).customer_name;
      if (typeof n === 'string' && [...n.trim()].length >= 2) names.push(n.trim());
    } catch { /* not JSON after all: the CSV rules apply */ }
  } else if (value.startsWith('[')) {
    // The row as a JSON array of its raw fields.
    try {
      const fields = JSON.parse(value) as unknown[];
      if (Array.isArray(fields)) names.push(...fields.filter((f): f is string => typeof f === 'string' && NAME_FIELD.test(f)));
    } catch { /* not JSON after all */ }
  } else {
    names.push(...value.split(',').filter((f) => NAME_FIELD.test(f)));
  }
  return names;
}

const hasHan = /\p{Script=Han}/u;

/** 张三丰 → 张**, 欧阳娜娜 → 欧**, John Smith → J*** S****. */
export function maskName(value: string): string {
  const v = value.trim();
  if (!v) return v;
  if (hasHan.test(v)) return `${[...v][0]}**`;
  return v.split(' ').map((w) => { const ch = [...w]; return ch.length ? ch[0] + '*'.repeat(ch.length - 1) : ''; }).join(' ');
}

/** 13812345678 → 138****5678; +86 138-1234-5678 → +86 138****5678; other numbers keep 3 + 4 digits. */
export function maskPhone(value: string): string {
  // Already masked (the warehouse stores this form; the door masks it again): unchanged.
  if (/^\+86 1[3-9][0-9]\*{4}[0-9]{4}$/.test(value)) return value;
  const d = value.replace(/[\s()-]/g, '');
  const m = /^((?:\+|00)?86)?(1[3-9][0-9])[0-9]{4}([0-9]{4})$/.exec(d);
  if (m) return `${m[1] ? '+86 ' : ''}${m[2]}****${m[3]}`;
  const chars = [...d];
  if (chars.length >= 8) return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
  return d ? '*'.repeat(chars.length) : '';
}

/** 11010519491231002X → 110***********002X (first 3 and last 4 kept). */
export function maskIdNumber(value: string): string {
  const v = [...value.trim()];
  if (v.length >= 8) return v.slice(0, 3).join('') + '*'.repeat(v.length - 7) + v.slice(-4).join('');
  return '*'.repeat(v.length);
}

/** zhang.san@example.com → z***@example.com. */
export function maskEmail(value: string): string {
  const v = value.trim();
  const at = v.lastIndexOf('@');
  if (at < 1) return maskText(v);
  return `${[...v][0]}***${v.slice(at)}`;
}

/** 北京市海淀区中关村大街1号 → 北京市海淀区****: the district stays, the street goes. */
export function maskAddress(value: string): string {
  const v = [...value.trim()];
  return v.length ? v.slice(0, 6).join('') + '****' : '';
}

/** A customer pseudonym as ingest stores it (src/privacy/personal.ts): "K" and 16 letters a–p. */
const PSEUDONYM = 'K[a-p]{16}';

export function isPseudonym(value: string): boolean {
  return new RegExp(`^${PSEUDONYM}$`).test(value);
}

export interface Privacy {
  /** Show personal data as stored (pledge … --reveal-pii). */
  reveal: boolean;
}

export const MASKED: Privacy = { reveal: false };

export function maskValue(column: string, value: unknown, privacy: Privacy = MASKED): unknown {
  if (privacy.reveal || value === null || value === undefined) return value;
  if (typeof value !== 'string') {
    if (typeof value === 'object') return maskNested(value, privacy);
    return value;
  }
  switch (columnKind(column)) {
    case 'identifier': return value;
    // A stored pseudonym as it is; anything else (an id read from elsewhere) hidden altogether.
    case 'customer_id': return isPseudonym(value) || !value.trim() ? value : 'K****';
    case 'name': return maskName(value);
    case 'phone': return maskPhone(value);
    case 'id_number': return maskIdNumber(value);
    case 'email': return maskEmail(value);
    case 'address': return maskAddress(value);
    case 'raw_line': return maskRawLine(value);
    default: return maskText(value);
  }
}

function maskNested(value: object, privacy: Privacy): unknown {
  if (Array.isArray(value)) return value.map((v) => maskValue('', v, privacy));
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(k, v, privacy)]));
}

/**
 * Masks every row an output shows. Besides the per-column rules, a free-text cell that
 * repeats the row's own customer name has it replaced ("张三丰说…" next to customer_name 张三丰).
 */
export function maskRows<T extends Record<string, unknown>>(rows: T[], privacy: Privacy = MASKED): T[] {
  if (privacy.reveal) return rows;
  // Team, handler, category, status … repeat on every row: each distinct short value is masked once.
  const masked = new Map<string, unknown>();
  const maskOnce = (k: string, v: unknown): unknown => {
    if (typeof v !== 'string' || v.length > 64 || columnKind(k) === 'identifier') return maskValue(k, v, privacy);
    const key = `${columnKind(k)}\u0000${v}`;
    let out = masked.get(key);
    if (out === undefined && !masked.has(key)) masked.set(key, out = maskValue(k, v, privacy));
    return out;
  };
  return rows.map((row) => {
    const names = Object.entries(row).filter(([k, v]) => columnKind(k) === 'name' && typeof v === 'string' && [...v.trim()].length >= 2)
      .map(([, v]) => (v as string).trim());
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      let value = v;
      if (typeof v === 'string' && columnKind(k) === 'text') for (const n of names) value = (value as string).replaceAll(n, maskName(n));
      out[k] = maskOnce(k, value);
    }
    return out as T;
  });
}

// ---------------------------------------------------------------- DuckDB

const re2Replacement = (s: string) => s.replace(/\$(\d)/g, '\\$1');

function rulesSql(rules: TextRule[], input: string): string {
  let expr = input;
  for (const r of rules) {
    for (let i = 0; i < 2; i++) expr = `regexp_replace(${expr}, ${sqlLiteral(r.pattern)}, ${sqlLiteral(re2Replacement(r.replacement))}, 'g')`;
  }
  return expr;
}

/**
 * Macros loaded into every session: the same per-column rules as maskValue. No key is in
 * any of them: a customer id is shown only as the pseudonym ingest stored
 * (pledge_keep_pseudonym; src/privacy/personal.ts computes it with the key bound).
 */
export const PII_MACROS = `
create or replace temp macro pledge_mask_text(v) as case
  when regexp_matches(v, ${sqlLiteral(TEXT_NEEDS)}) then ${rulesSql(TEXT_RULES, 'v')} else v end;
create or replace temp macro pledge_raw_line_names(v) as case
  when v like '{%' and json_valid(v) then
    case when length(trim(v ->> 'customer_name')) >= 2 then [trim(v ->> 'customer_name')] else [] end
  when v like '[%' and json_valid(v) then
    list_filter(from_json(v, '["VARCHAR"]'), f -> regexp_full_match(f, '\\p{Han}{2,4}|[A-Z][a-z''-]+ [A-Z][a-z''-]+'))
  else list_filter(string_split(v, ','), f -> regexp_full_match(f, '\\p{Han}{2,4}|[A-Z][a-z''-]+ [A-Z][a-z''-]+'))
end;
create or replace temp macro pledge_unname_raw_line(v) as
  list_reduce(list_prepend(v, pledge_raw_line_names(v)), (acc, n) -> replace(acc, n, left(n, 1) || '**'));
create or replace temp macro pledge_mask_raw_line(v) as ${rulesSql(RAW_LINE_RULES, 'pledge_mask_text(pledge_unname_raw_line(v))')};
create or replace temp macro pledge_mask_name(v) as case
  when v is null then null
  when trim(v) = '' then trim(v)
  when regexp_matches(v, '\\p{Han}') then left(trim(v), 1) || '**'
  else array_to_string(list_transform(string_split(trim(v), ' '), w -> left(w, 1) || repeat('*', greatest(length(w) - 1, 0))), ' ')
end;
create or replace temp macro pledge_mask_phone(v) as case
  when v is null then null
  when regexp_full_match(v, '\\+86 1[3-9][0-9]\\*{4}[0-9]{4}') then v
  when regexp_matches(regexp_replace(v, '[\\s()-]', '', 'g'), '^((?:\\+|00)?86)?1[3-9][0-9]{9}$') then
    regexp_replace(regexp_replace(v, '[\\s()-]', '', 'g'), '^((?:\\+|00)?86)?(1[3-9][0-9])[0-9]{4}([0-9]{4})$',
      case when regexp_matches(regexp_replace(v, '[\\s()-]', '', 'g'), '^((?:\\+|00)?86)') then '+86 \\2****\\3' else '\\2****\\3' end)
  when length(regexp_replace(v, '[\\s()-]', '', 'g')) >= 8 then
    left(regexp_replace(v, '[\\s()-]', '', 'g'), 3) || repeat('*', length(regexp_replace(v, '[\\s()-]', '', 'g')) - 7) || right(regexp_replace(v, '[\\s()-]', '', 'g'), 4)
  else repeat('*', length(regexp_replace(v, '[\\s()-]', '', 'g')))
end;
create or replace temp macro pledge_mask_id_number(v) as case
  when v is null then null
  when length(trim(v)) >= 8 then left(trim(v), 3) || repeat('*', length(trim(v)) - 7) || right(trim(v), 4)
  else repeat('*', length(trim(v)))
end;
create or replace temp macro pledge_mask_email(v) as case
  when v is null then null
  when strpos(trim(v), '@') > 1 then left(trim(v), 1) || '***' || substr(trim(v), length(trim(v)) - strpos(reverse(trim(v)), '@') + 1)
  else pledge_mask_text(trim(v))
end;
create or replace temp macro pledge_mask_address(v) as case
  when v is null then null when trim(v) = '' then '' else left(trim(v), 6) || '****' end;
create or replace temp macro pledge_keep_pseudonym(v) as case
  when v is null or trim(v) = '' or regexp_full_match(v, '${PSEUDONYM}') then v else 'K****' end;
`;

/** The SQL expression masking column `name` (already quoted as `ref`) by its kind. */
export function maskColumnSql(name: string, ref: string): string {
  switch (columnKind(name)) {
    case 'identifier': return ref;
    case 'customer_id': return `pledge_keep_pseudonym(${ref})`;
    case 'name': return `pledge_mask_name(${ref})`;
    case 'phone': return `pledge_mask_phone(${ref})`;
    case 'id_number': return `pledge_mask_id_number(${ref})`;
    case 'email': return `pledge_mask_email(${ref})`;
    case 'address': return `pledge_mask_address(${ref})`;
    case 'raw_line': return `pledge_mask_raw_line(${ref})`;
    default: return `pledge_mask_text(${ref})`;
  }
}


export interface MaskSqlOptions {
  /** Also neutralise spreadsheet formulas (for CSV written by DuckDB). */
  csv?: boolean;
}

/** The select list that masks a relation's columns (aliased `q`), by the same rules as maskRows. */
export function maskedColumnsSql(columns: { name: string; type: string }[], privacy: Privacy = MASKED, opts: MaskSqlOptions = {}): string {
  const names = columns.filter((c) => c.type === 'VARCHAR' && columnKind(c.name) === 'name').map((c) => sqlIdent(c.name));
  return columns.map((c) => {
    if (c.type !== 'VARCHAR') {
      if (privacy.reveal || !/VARCHAR|JSON/.test(c.type)) return `q.${sqlIdent(c.name)}`;
      // Text inside nested values: a list of text keeps its type, element by element;
      // anything else nested becomes masked JSON text.
      const col = `q.${sqlIdent(c.name)}`;
      if (c.type === 'VARCHAR[]') return `list_transform(${col}, x -> ${maskColumnSql(c.name, 'x')}) as ${sqlIdent(c.name)}`;
      return `pledge_mask_raw_line(to_json(${col})::varchar) as ${sqlIdent(c.name)}`;
    }
    let ref = `q.${sqlIdent(c.name)}`;
    let expr: string;
    if (privacy.reveal) {
      expr = ref;
    } else {
      if (columnKind(c.name) === 'text') {
        for (const n of names) ref = `case when length(trim(q.${n})) >= 2 then replace(${ref}, trim(q.${n}), pledge_mask_name(q.${n})) else ${ref} end`;
      }
      expr = maskColumnSql(c.name, ref);
    }
    if (opts.csv) expr = `pledge_csv_text(${expr})`;
    return `${expr} as ${sqlIdent(c.name)}`;
  }).join(', ');
}

/**
 * Wraps a query so DuckDB returns (or COPYs) its VARCHAR columns masked, by the same
 * rules as maskRows: the one place an export written by DuckDB itself passes through.
 * `columns` are the query's result columns with their DuckDB types.
 */
export function maskedSelectSql(innerSql: string, columns: { name: string; type: string }[], privacy: Privacy = MASKED, opts: MaskSqlOptions = {}): string {
  return `select ${maskedColumnsSql(columns, privacy, opts)} from (${innerSql.replace(/;\s*$/, '')}) q`;
}
