// Masking on real-format examples, with the expected output written by hand, through
// both implementations: the TypeScript functions (rows shown by reports and pledge query)
// and the DuckDB macros (files DuckDB writes itself). Both must give the hand answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { Warehouse } from '../../src/warehouse/db.ts';
import {
  maskName, maskRawLine, maskPhone, maskIdNumber, maskEmail, maskAddress, maskText, maskRows, maskedSelectSql,
} from '../../src/privacy/masking.ts';
import { installMasking } from '../../src/privacy/keys.ts';
import { customerKey, keyParams, pseudonymSql } from '../../src/privacy/personal.ts';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
let wh: Warehouse;

beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
  await installMasking(wh);
});
afterAll(() => wh?.close());

// The customer key: "K" and the HMAC's first 16 hex digits, each written as a letter (0→a … f→p).
const key = (hmacHex: string) => 'K' + [...hmacHex.slice(0, 16)].map((c) => 'abcdefghijklmnop'[parseInt(c, 16)]).join('');
const sql = async (macro: string, v: string) => wh.value<string>(`select ${macro}($v)`, { v });

// [input, expected] — the expected column is typed by hand from the rule, not copied from output.
const NAMES: [string, string][] = [
  ['张三', '张**'],            // surname kept, length hidden
  ['张三丰', '张**'],
  ['欧阳娜娜', '欧**'],        // compound surname: only the first character survives
  [' 李四 ', '李**'],          // trimmed
  ['John Smith', 'J*** S****'],
  ['Mary-Jane Watson', 'M******** W*****'],
  ['Zoë Ng', 'Z** N*'],
  ['X', 'X'],
];
const PHONES: [string, string][] = [
  ['13812345678', '138****5678'],
  ['+8613812345678', '+86 138****5678'],
  ['+86 138 1234 5678', '+86 138****5678'],
  ['+86-138-1234-5678', '+86 138****5678'],
  ['+86 138****5678', '+86 138****5678'],   // masked again (the warehouse stores masked forms): unchanged
  ['008619912345678', '+86 199****5678'],
  ['010-62345678', '010****5678'],     // landline: 3 kept, 4 kept, 4 hidden (11 digits)
  ['5551234', '*******'],             // too short to keep anything
];
const IDS: [string, string][] = [
  ['11010519491231002X', '110***********002X'],
  ['440305199001011234', '440***********1234'],
  ['32010219800101123x', '320***********123x'],
];
const EMAILS: [string, string][] = [
  ['zhang.san@example.com', 'z***@example.com'],
  ['li4+complaints@mail.example.cn', 'l***@mail.example.cn'],
  ['not an address', 'not an address'],
];
const ADDRESSES: [string, string][] = [
  ['北京市海淀区中关村大街1号', '北京市海淀区****'],
];
// Free text: the same patterns inside a description.
const TEXTS: [string, string][] = [
  ['用户张三丰来电反映宽带断网，联系电话13812345678', '用户张**来电反映宽带断网，联系电话138****5678'],
  ['用户来电反映宽带断网', '用户来电反映宽带断网'],
  ['客户欧阳娜娜投诉账单', '客户欧**投诉账单'],                              // four-character name                      // no name here: nothing masked
  ['客户王芳投诉账单错误，身份证号11010519491231002X', '客户王**投诉账单错误，身份证号110***********002X'],
  ['姓名：李四，手机+86 139 0000 1111', '姓名：李**，手机+86 139****1111'],
  ['回电 +8613812345678 或 13900001111,13700002222', '回电 +86138****5678 或 139****1111,137****2222'],
  ['Mr John Smith called from 13812345678', 'Mr J*** S*** called from 138****5678'],
  ['Please ask Ms. Wong to email wong.l@example.org', 'Please ask Ms. W*** to email w***@example.org'],
  ['My name is Anna Lee', 'My name is A*** L***'],
  ['工单号202510091234567890 不是身份证', '工单号202510091234567890 不是身份证'], // 20 digits: not an ID
  ['金额 12345678901 元', '金额 12345678901 元'],                          // 11 digits but not 13–19…: left alone
];

// Rejected rows as stored in rejects.raw_line: the row as JSON, or the CSV line the reader could not split.
const RAW_LINES: [string, string][] = [
  // The row's own customer name is masked where it recurs in the description.
  ['{"customer_name":"赵小明","description":"赵小明说网络断了"}', '{"customer_name":"赵**","description":"赵**说网络断了"}'],
  ['C8,phone,账单费用,赵小明,赵小明来电说断网了', 'C8,phone,账**,赵**,赵**来电说断网了'],
  ['{"line_no":7,"customer_id":"U9","customer_name":"张三丰","customer_phone":"13812345678","received_at":"昨天"}',
    '{"line_no":7,"customer_id":"***","customer_name":"张**","customer_phone":"138****5678","received_at":"昨天"}'],
  ['C9,phone,normal,账单,客服部,一组,王芳,王芳,U9,Anna Lee,13812345678,,true,0,2025-10-09 09:00,extra',
    // Any field of 2–4 Chinese characters is taken for a name: department and category are over-masked, by design.
    'C9,phone,normal,账**,客**,一**,王**,王**,U9,A**,138****5678,,true,0,2025-10-09 09:00,extra'],
  // The row as a JSON array of its raw fields (how ingest keeps a rejected row): the same field rule.
  ['["C9","账单费用","赵小明","13812345678",null,"赵小明来电说断网了","Anna Lee"]',
    '["C9","账**","赵**","138****5678",null,"赵**来电说断网了","A**"]'],
];

describe('masking functions on real-format examples (TypeScript and DuckDB agree)', () => {
  const table: [string, (v: string) => string, string, [string, string][]][] = [
    ['names', maskName, 'pledge_mask_name', NAMES],
    ['mobile and landline numbers', maskPhone, 'pledge_mask_phone', PHONES],
    ['18-digit resident ID numbers', maskIdNumber, 'pledge_mask_id_number', IDS],
    ['e-mail addresses', maskEmail, 'pledge_mask_email', EMAILS],
    ['addresses', maskAddress, 'pledge_mask_address', ADDRESSES],
    ['free text', maskText, 'pledge_mask_text', TEXTS],
    ['rejected raw lines', maskRawLine, 'pledge_mask_raw_line', RAW_LINES],
  ];
  for (const [what, fn, macro, cases] of table) {
    it(`masks ${what}`, async () => {
      for (const [input, expected] of cases) {
        expect(fn(input), `TS ${input}`).toBe(expected);
        expect(await sql(macro, input), `SQL ${input}`).toBe(expected);
      }
    });
  }

  it('masks a row by its column names, and the row\'s own customer name inside its free text', async () => {
    const row = {
      complaint_id: '202510091234567890', customer_name: '赵小明', customer_phone: '13812345678',
      customer_id: 'U001', id_number: '440305199001011234', email: 'zxm@example.com', handler: '王芳',
      description: '赵小明说网络断了', satisfaction: 80,
    };
    // A session holds no key: a customer id that is not a stored pseudonym is hidden altogether.
    const [masked] = maskRows([row], { reveal: false });
    const expected = {
      complaint_id: '202510091234567890', customer_name: '赵**', customer_phone: '138****5678',
      customer_id: 'K****',
      id_number: '440***********1234', email: 'z***@example.com', handler: '王芳',   // staff names are not customer data
      description: '赵**说网络断了', satisfaction: 80,
    };
    expect(masked).toEqual(expected);
    // The SQL wrapper used for DuckDB-written exports gives the same row.
    await wh.run(`create or replace temp table pii_row as select * from (values ($a, $b, $c, $d, $e, $f, $g, $h, 80))
      t(complaint_id, customer_name, customer_phone, customer_id, id_number, email, handler, description, satisfaction)`,
    { a: row.complaint_id, b: row.customer_name, c: row.customer_phone, d: row.customer_id, e: row.id_number, f: row.email, g: row.handler, h: row.description });
    const cols = (await wh.rows('describe pii_row')).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const [fromSql] = await wh.rows(maskedSelectSql('from pii_row', cols));
    expect(fromSql).toEqual(expected);
  });

  it('leaves rows untouched with --reveal-pii', () => {
    const row = { customer_name: '张三', customer_phone: '13812345678' };
    expect(maskRows([row], { reveal: true })).toEqual([row]);
  });

  it('shows a stored pseudonym as it is, in both implementations', async () => {
    const pseudonym = key(createHmac('sha256', KEY).update('U001').digest('hex'));
    expect(maskRows([{ customer_id: pseudonym }])).toEqual([{ customer_id: pseudonym }]);
    expect(await sql('pledge_keep_pseudonym', pseudonym)).toBe(pseudonym);
    expect(await sql('pledge_keep_pseudonym', 'U001')).toBe('K****');
  });

  it('computes the customer key as HMAC-SHA256 in SQL (the key bound, never stored) exactly as Node does', async () => {
    const pseudonym = (k: Buffer, v: string) => wh.value<string>(`select ${pseudonymSql('$v')}`, { v, ...keyParams(k) });
    for (const id of ['U001', '客户-00042', 'tel:13812345678']) {
      const node = key(createHmac('sha256', KEY).update(id, 'utf8').digest('hex'));
      expect(customerKey(id, KEY)).toBe(node);
      expect(await pseudonym(KEY, id)).toBe(node);
    }
    // A long key is hashed first (RFC 2104); still identical.
    const long = Buffer.alloc(100, 7);
    expect(await pseudonym(long, 'U1')).toBe(key(createHmac('sha256', long).update('U1').digest('hex')));
  });
});
