// The floor: what bare DuckDB needs for the same job, written by hand with no
// Pledge code in between. Loads every export into a fresh DuckDB file with one
// CTAS from read_csv, then computes the basic KPIs per department and month of
// receipt in one query, including first-response working minutes through a
// join to a working-day calendar (running totals of working minutes per day).
//
//   node bin/run-ts.mjs bench/floor.ts --warehouse <file.duckdb> <export.csv>...
// Prints one JSON line: { rows, groups }.
import { rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseScriptArgs } from '../data/args.ts';

const cn = createRequire(import.meta.url)('chinese-days') as { isWorkday(d: string): boolean };

// The warehouse is a named flag, checked before anything is removed or created: read as the
// first argument, `floor.ts --help` once made (and got committed) a DuckDB file named `--help`.
const { values, positionals: files } = parseScriptArgs({
  script: 'bench/floor.ts',
  about: 'The floor of the benchmark: bare DuckDB loads the exports into a fresh file and computes the basic KPIs in one query.',
  flags: {
    warehouse: {
      type: 'string', value: 'file.duckdb', required: true, help: 'the DuckDB file to create (removed first if it exists)',
      check: (path) => {
        // It is removed first, so only a DuckDB file name, and never one that reads as a flag.
        if (basename(path).startsWith('-')) throw new Error("a file name may not start with '-'");
        if (!path.endsWith('.duckdb')) throw new Error('not a .duckdb file name');
      },
    },
  },
  positionals: {
    name: '<export.csv>...', min: 1, help: 'the exports to load',
    check: (file) => { if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new Error('no such file'); },
  },
});
const dbPath = values.warehouse;
rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });
const config: Record<string, string> = {};
if (process.env.PLEDGE_MEMORY_LIMIT) config.memory_limit = process.env.PLEDGE_MEMORY_LIMIT;
if (process.env.PLEDGE_TEMP_DIR) config.temp_directory = process.env.PLEDGE_TEMP_DIR;
const db = await DuckDBInstance.create(dbPath, config);
const con = await db.connect();
await con.run(`set TimeZone = 'Asia/Shanghai'`);

const list = `[${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}]`;
await con.run(`create table complaints as select * from read_csv(${list}, header = true)`);

// Working calendar 2020..2027 from the same chinese-days data Pledge uses: 480 working
// minutes (09:00-12:00, 13:00-18:00) on a working day, running totals for subtraction.
const days: string[] = [];
for (let t = Date.UTC(2020, 0, 1); t <= Date.UTC(2027, 11, 31); t += 86400e3) {
  const d = new Date(t).toISOString().slice(0, 10);
  days.push(`('${d}'::date, ${cn.isWorkday(d) ? 480 : 0})`);
}
await con.run(`create temp table cal_days(day date, work_minutes int)`);
await con.run(`insert into cal_days values ${days.join(',')}`);
await con.run(`create temp table cal as
  select day, work_minutes, sum(work_minutes) over (order by day) - work_minutes as cum_before from cal_days`);

const reader = await con.runAndReadAll(`
with c as (
    select department, date_trunc('month', received_at)::date as month,
           received_at, registered_at, first_response_at, resolved_at, satisfaction
    from complaints
),
-- working minutes of the day before a local time: 09:00-12:00 and 13:00-18:00
positioned as (
    select c.*,
           rc.cum_before + case when rc.work_minutes > 0 then
               greatest(0, least(hour(received_at) * 60 + minute(received_at), 720) - 540)
             + greatest(0, least(hour(received_at) * 60 + minute(received_at), 1080) - 780) else 0 end as received_pos,
           fc.cum_before + case when fc.work_minutes > 0 then
               greatest(0, least(hour(first_response_at) * 60 + minute(first_response_at), 720) - 540)
             + greatest(0, least(hour(first_response_at) * 60 + minute(first_response_at), 1080) - 780) else 0 end as response_pos
    from c
    join cal rc on rc.day = c.received_at::date
    left join cal fc on fc.day = c.first_response_at::date
)
select month, department,
       count(*) as complaints,
       avg((registered_at <= received_at + interval 24 hour)::int) as registered_24h_rate,
       avg((response_pos - received_pos <= 240)::int) filter (where first_response_at is not null) as first_response_4wh_rate,
       avg((resolved_at is not null)::int) as resolved_rate,
       avg(satisfaction) filter (where satisfaction is not null) as satisfaction_mean,
       avg((satisfaction >= 85)::int) filter (where satisfaction is not null) as satisfaction_rate
from positioned
group by all
order by month, department`);
const rows = reader.getRowObjectsJson();
const total = rows.reduce((s, r) => s + Number(r.complaints), 0);
con.closeSync();
db.closeSync();
console.log(JSON.stringify({ rows: total, groups: rows.length }));
