// The figures as they would be had no appeal been applied, for the pack's appeal section
// (queries/assess/assess_appeal_effects.sql compares them with the figures as reported).
// They are worked out by the pack's own kpi_fact_monthly.sql and kpi_unit_monthly.sql, run
// once more with kpi_appeals seen through a CTE of the same name that keeps no applied
// appeal: each KPI's rule stays written once, in kpi_fact_monthly, and `pledge verify`, which
// runs the pack's sql/, re-computes these figures with the SQL the pack carries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstLine, type Warehouse } from '../../warehouse/db.ts';
import { PledgeError } from '../../core/errors.ts';
import { sqlReads } from '../../models/queries.ts';

/** The temporary table assess_appeal_effects.sql reads. */
export const UNAPPEALED_TABLE = 'assess_unit_monthly_unappealed';

function sqlOf(queriesDir: string, name: string): string {
  const file = join(queriesDir, 'kpi', `${name}.sql`);
  try {
    return readFileSync(file, 'utf8').replace(/;\s*$/, '');
  } catch {
    throw new PledgeError(`${file}: no such query file`);
  }
}

export async function createUnappealed(wh: Warehouse, queriesDir: string): Promise<void> {
  // With no applied appeal the figures are the reported ones: not worked out a second time.
  if (!Number(await wh.value(`select count(*) from kpi_appeals where status = 'applied'`))) {
    await wh.run(`create or replace temp table ${UNAPPEALED_TABLE} as from kpi_unit_monthly`);
    return;
  }
  // temp.main.kpi_appeals is the session's table; the CTE of that name hides it from the two
  // files' SQL (a CTE is seen inside every subquery of the statement). Each file ends on a new
  // line, so that a last line comment cannot swallow the closing parenthesis.
  const prefix = `create or replace temp table ${UNAPPEALED_TABLE} as
with kpi_appeals as (select * from temp.main.kpi_appeals where status <> 'applied'),
kpi_fact_monthly as (
`;
  const fact = sqlOf(queriesDir, 'kpi_fact_monthly');
  // A kpi_fact_monthly that does not read kpi_appeals (a body that reads counts made elsewhere) would
  // give the reported figures again, and every appeal would seem to have changed nothing: refused.
  if (!(await sqlReads(wh, fact))?.has('kpi_appeals')) {
    throw new PledgeError(`${join(queriesDir, 'kpi', 'kpi_fact_monthly.sql')} does not read kpi_appeals, so the figures with no appeal applied cannot be worked out from it`);
  }
  const sql = `${fact}\n)\nselect * from (\n${sqlOf(queriesDir, 'kpi_unit_monthly')}\n)\n`;
  try {
    await wh.run(prefix + sql);
  } catch (e) {
    // Both files already ran as the session's own tables: a failure here is in how they are combined.
    throw new PledgeError(`the figures with no appeal applied (kpi/kpi_fact_monthly.sql and kpi/kpi_unit_monthly.sql of ${queriesDir}, run again): ${firstLine(e)}`);
  }
}
