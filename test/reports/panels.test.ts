// The analyst's loop without TypeScript: a panel is one YAML file naming one SQL
// file; adding the two to a copy of the project's panels and queries adds a
// section to the monthly dashboard. And the KPI the README walks through
// ("first response within 1 hour, by channel"), checked on the hand-written
// status fixture.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT, pledgeJson, pledgeOk, tempDir } from '../support/cli.ts';

const dir = tempDir('pledge-panels-');
const warehouse = join(dir, 'w.duckdb');
const policy = join(FIXTURES, 'policy-clocks.yaml');
const asOf = ['--as-of', '2025-10-20 00:00'];

beforeAll(() => {
  pledgeOk(['ingest', join(FIXTURES, 'statuses.csv'), '--warehouse', warehouse, '--policy', policy]);
});

describe('a panel added with one YAML file and one SQL file', () => {
  it('appears in the dashboard, with the rows its SQL returns', () => {
    const panels = join(dir, 'panels');
    const queries = join(dir, 'queries');
    cpSync(join(ROOT, 'panels', 'dashboard'), panels, { recursive: true });
    cpSync(join(ROOT, 'queries'), queries, { recursive: true });
    writeFileSync(join(queries, 'report', 'complaints_by_channel.sql'), `-- complaints_by_channel: complaints received in the month, per channel.
-- One row per channel, most complaints first.
-- Parameters:
--   $month  MONTH  reporting month
-- Columns:
--   channel     VARCHAR         channel
--   complaints  BIGINT [count]  complaints received in the month
select channel, count(*) as complaints
from stg_complaints
where date_trunc('month', received_at::timestamp) = $month::date
group by channel
order by complaints desc, channel
`);
    writeFileSync(join(panels, '95-by-channel.yaml'), `title: { zh: 各渠道投诉量, en: Complaints by channel }
type: table
query: report/complaints_by_channel.sql
columns:
  - { field: channel, title: { zh: 渠道, en: Channel } }
  - { field: complaints, title: { zh: 件数, en: Complaints }, format: integer }
`);
    const out = join(dir, 'out');
    pledgeOk(['run', '--month', '2025-10', ...asOf, '--warehouse', warehouse, '--policy', policy, '--out', out,
      '--panels', panels, '--queries', queries, '--lang', 'en']);
    const html = readFileSync(join(out, '2025-10', 'index.html'), 'utf8');
    const section = /<section class="panel" id="panel-95-by-channel"[\s\S]*?<\/section>/.exec(html)?.[0];
    expect(section).toBeDefined();
    expect(section).toContain('<h2>Complaints by channel</h2>');
    // statuses.csv: phone S1, S4, S5; app S2; web S3; counter S6 — all received in October.
    const cells = [...section!.matchAll(/<tr><td data-field="channel"[^>]*>([^<]*)<\/td><td class="num" data-field="complaints"[^>]*>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
    expect(cells).toEqual([['phone', '3'], ['app', '1'], ['counter', '1'], ['web', '1']]);
    // It is the last section, after the project's own panels.
    expect(html.lastIndexOf('<section class="panel"')).toBe(html.indexOf('<section class="panel" id="panel-95-by-channel"'));
  });
});

describe('first response within the fast line, by channel (queries/report/fast_first_response_by_channel.sql)', () => {
  type Row = { channel: string; channel_kind: string; received: number; within_line: number; missed_line: number; not_yet: number; unknown: number; share_within: number | null; line_minutes: number };
  const run = (line: string) => pledgeJson<Row>(['query', '--warehouse', warehouse, '--policy', policy, ...asOf,
    '--file', 'queries/report/fast_first_response_by_channel.sql', '--param', 'month=2025-10', '--param', `fast_first_response=${line}`]);

  it('within 1 hour: only S6 (answered after 30 minutes); S5 answered before receipt is unknown', () => {
    // S1 phone 2 h, S2 app 6.5 h, S3 web never, S4 phone never (received Fri 17:00, line passed 18:00),
    // S5 phone answered an hour before receipt, S6 counter 30 min.
    expect(run('1 hour')).toEqual([
      { channel: 'phone', channel_kind: 'offline', received: 3, within_line: 0, missed_line: 2, not_yet: 0, unknown: 1, share_within: 0, line_minutes: 60 },
      { channel: 'app', channel_kind: 'online', received: 1, within_line: 0, missed_line: 1, not_yet: 0, unknown: 0, share_within: 0, line_minutes: 60 },
      { channel: 'counter', channel_kind: 'offline', received: 1, within_line: 1, missed_line: 0, not_yet: 0, unknown: 0, share_within: 1, line_minutes: 60 },
      { channel: 'web', channel_kind: 'online', received: 1, within_line: 0, missed_line: 1, not_yet: 0, unknown: 0, share_within: 0, line_minutes: 60 },
    ]);
  });

  it('within 3 hours: S1 (2 h) joins, so phone is 1 of 2 judged', () => {
    const phone = run('3 hours').find((r) => r.channel === 'phone')!;
    expect(phone).toMatchObject({ within_line: 1, missed_line: 1, unknown: 1, share_within: 0.5, line_minutes: 180 });
  });
});
