// What one export can measure under the policy, told when it is ingested or validated,
// before anyone reads a figure built on it:
// - a stage none of its rows records (no column mapped to it, or every value empty) leaves
//   each commitment from or to it without a clock; while no import of the warehouse records
//   the stage, those clocks are unknown ("no import records <stage>", see
//   queries/staging/stg_stage_coverage.sql), never overdue;
// - a channel value the policy does not list under channels.online or channels.offline is
//   its own group, "unknown channel", in every split: counted, but in neither parity group.
import type { Warehouse } from '../warehouse/db.ts';
import type { Policy } from '../warehouse/policy.ts';
import { sqlIdent, sqlLiteral } from '../core/sql-text.ts';

export interface Coverage {
  /** Per commitment whose start or end stage no row of the export records: the stages it lacks. */
  unmeasured: { commitment: string; stages: string[] }[];
  /** Channel values the policy does not list, with their row counts, most rows first. */
  unlistedChannels: { channel: string; rows: number }[];
}

/** The coverage of `relation` (canonical complaint rows: a table name or a parenthesised query). */
export async function coverageOf(wh: Warehouse, relation: string, policy: Policy): Promise<Coverage> {
  const stages = [...new Set(Object.values(policy.commitments).flatMap((c) => [c.from, c.to]))];
  const [counts] = await wh.rows(`select ${stages.map((s) => `count(${sqlIdent(s)}) as ${sqlIdent(s)}`).join(', ')} from ${relation}`);
  const empty = new Set(stages.filter((s) => Number(counts[s]) === 0));
  const unmeasured = Object.entries(policy.commitments)
    .map(([commitment, c]) => ({ commitment, stages: [...new Set([c.from, c.to])].filter((s) => empty.has(s)) }))
    .filter((u) => u.stages.length > 0);
  const listed = [...policy.channels.online, ...policy.channels.offline];
  const channels = await wh.rows(`select channel, count(*) as n from ${relation}
    where channel is not null and not list_contains([${listed.map(sqlLiteral).join(', ')}]::varchar[], channel)
    group by all order by n desc, channel`);
  return { unmeasured, unlistedChannels: channels.map((r) => ({ channel: String(r.channel), rows: Number(r.n) })) };
}

/** One warning line per finding, naming the file, the commitment and what to do. */
export function describeCoverage(file: string, c: Coverage): string[] {
  const lines = c.unmeasured.map((u) => `${file}: no ${u.stages.join(' or ')} in any row (column not mapped, or every value empty): `
    + `commitment ${u.commitment} cannot be measured from this export; while no import records ${u.stages.join(' or ')}, `
    + 'its clocks are unknown, not overdue');
  if (c.unlistedChannels.length) {
    const shown = c.unlistedChannels.slice(0, 10).map((x) => `${x.channel} (${x.rows.toLocaleString('en-US')})`).join(', ');
    const more = c.unlistedChannels.length > 10 ? ` and ${c.unlistedChannels.length - 10} more` : '';
    lines.push(`${file}: channel values the policy does not list: ${shown}${more}; they are the group "unknown channel", `
      + 'in neither side of the online/offline comparison: add them under channels.online or channels.offline');
  }
  return lines;
}
