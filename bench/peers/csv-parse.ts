// Peer: the basic KPIs in plain Node with csv-parse, streaming each export row
// by row, per department and month of receipt: complaints, registered within
// 24 hours, resolved, satisfaction mean and share at or above 85.
//   node bin/run-ts.mjs bench/peers/csv-parse.ts <export.csv>...
// Prints one JSON line: { rows, groups }.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

interface Acc { complaints: number; registered24h: number; resolved: number; surveyed: number; satisfactionSum: number; satisfied: number }
const groups = new Map<string, Acc>();

// "2025-10-08 14:03:00" as local seconds; exports carry no zone, and both ends are local.
function seconds(v: string): number {
  return Date.UTC(+v.slice(0, 4), +v.slice(5, 7) - 1, +v.slice(8, 10), +v.slice(11, 13), +v.slice(14, 16), +v.slice(17, 19) || 0) / 1000;
}

let rows = 0;
for (const file of process.argv.slice(2)) {
  let col: Record<string, number> | null = null;
  for await (const rec of createReadStream(file).pipe(parse({ relax_column_count: false })) as AsyncIterable<string[]>) {
    if (!col) { col = Object.fromEntries(rec.map((name, i) => [name, i])); continue; }
    rows++;
    const received = rec[col.received_at];
    const key = `${received.slice(0, 7)}|${rec[col.department]}`;
    let acc = groups.get(key);
    if (!acc) groups.set(key, acc = { complaints: 0, registered24h: 0, resolved: 0, surveyed: 0, satisfactionSum: 0, satisfied: 0 });
    acc.complaints++;
    const registered = rec[col.registered_at];
    if (registered && seconds(registered) - seconds(received) <= 24 * 3600) acc.registered24h++;
    if (rec[col.resolved_at]) acc.resolved++;
    const s = rec[col.satisfaction];
    if (s !== '') { const v = Number(s); acc.surveyed++; acc.satisfactionSum += v; if (v >= 85) acc.satisfied++; }
  }
}
console.log(JSON.stringify({ rows, groups: groups.size }));
