// A warehouse made before personal data was kept apart (its complaint_versions has no
// customer_key column) holds customers' ids, names, phones and free text as exported.
// On first use it is upgraded in place: the values as read move to "<warehouse>.personal",
// and the warehouse is written anew with pseudonyms and masked forms, as a fresh file
// renamed over the old one, so that no freed block of the file still holds an old value.
// Stored facts are left behind (they are derived; the next build makes them again).
import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs';
import { Warehouse } from './db.ts';
import { PledgeError } from './errors.ts';
import {
  attachPersonalForWrite, keyParams, maskedSelect, PERSONAL, PERSONAL_COLUMNS, PERSONAL_TABLES, personalPath, writePersonal, type PersonalTable,
} from './personal.ts';
import { installMasking, loadPseudonymKey } from './privacy.ts';
import type { Policy } from './policy.ts';
import { outputModes } from '../reports/write.ts';

/** Whether the open warehouse predates the personal file. */
export async function isOld(wh: Warehouse): Promise<boolean> {
  const [r] = await wh.rows(`select count(*) filter (where table_name = 'complaint_versions') as tables,
      count(*) filter (where table_name = 'complaint_versions' and column_name = 'customer_key') as keys
    from duckdb_columns() where database_name = current_database() and schema_name = 'main'`);
  return Number(r.tables) > 0 && Number(r.keys) === 0;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Upgrades the warehouse at `path` if it is old; says so on stderr. Does nothing for a current or missing one. */
export async function upgradeIfOld(path: string, policy: Policy): Promise<boolean> {
  if (path === ':memory:' || !existsSync(path)) return false;
  const probe = await Warehouse.open(path, { readOnly: true, timezone: policy.timezone });
  let old: boolean;
  try { old = await isOld(probe); } finally { probe.close(); }
  if (!old) return false;
  process.stderr.write(`${path}: upgrading: customers' personal data moves to ${personalPath(path)}; the warehouse keeps pseudonyms and masked forms\n`);
  try {
    await upgrade(path, loadPseudonymKey(path, policy.privacy.key_file), policy.timezone);
  } catch (e) {
    throw new PledgeError(`${path}: cannot upgrade the warehouse (it is unchanged): ${(e as Error).message.split('\n')[0]}`);
  }
  return true;
}

async function upgrade(path: string, key: Buffer, timezone: string): Promise<void> {
  // The old file's log folded in first, so the file alone is the whole warehouse.
  const old = await Warehouse.open(path, { timezone });
  try { await old.run('checkpoint'); } finally { old.close(); }

  const fresh = `${path}.upgrade-${process.pid}`;
  rmSync(fresh, { force: true });
  rmSync(`${fresh}.wal`, { force: true });
  const wh = await Warehouse.open(fresh, { timezone });
  try {
    await installMasking(wh);
    const current = `"${String(await wh.value('select current_database()')).replace(/"/g, '""')}"`;
    await wh.run(`attach ${quote(path)} as old_warehouse (read_only)`);
    await wh.run(`copy from database old_warehouse to ${current} (schema)`);
    const tables = (await wh.rows(`select table_name from duckdb_tables() where database_name = 'old_warehouse' and schema_name = 'main' order by 1`))
      .map((r) => String(r.table_name));
    const key_ = keyParams(key);
    for (const t of tables) {
      if (t === 'fact_build' || t.startsWith('fact_')) { await wh.run(`drop table ${t}`); continue; }
      if (t in PERSONAL_COLUMNS) {
        if (t === 'complaint_versions') await wh.run('alter table complaint_versions add column customer_key varchar');
        const sql = `insert into ${t} by name ${maskedSelect(t as PersonalTable, `select * from old_warehouse.main.${t}`)}`;
        await wh.run(sql, /\$key_/.test(sql) ? key_ : undefined);
      } else {
        await wh.run(`insert into ${t} select * from old_warehouse.main.${t}`);
      }
    }
    // The values as read, to the personal file (written whole again if an earlier upgrade stopped half way).
    const personal = personalPath(path);
    rmSync(personal, { force: true });
    rmSync(`${personal}.wal`, { force: true });
    await attachPersonalForWrite(wh, personal);
    await wh.run(`insert into ${PERSONAL}.imports select import_id, sha256 from old_warehouse.main.imports`);
    for (const t of PERSONAL_TABLES) {
      if (!tables.includes(t)) continue;
      const cols = Object.keys(PERSONAL_COLUMNS[t].columns);
      await writePersonal(wh, t, `select import_id, line_no, ${t === 'rejects' ? 'column_name, ' : ''}${cols.join(', ')} from old_warehouse.main.${t}`);
    }
    await wh.run(`checkpoint ${PERSONAL}`);
    await wh.run('detach old_warehouse');
    await wh.run('checkpoint');
  } catch (e) {
    wh.close();
    rmSync(fresh, { force: true });
    rmSync(`${fresh}.wal`, { force: true });
    throw e;
  }
  wh.close();
  const mode = outputModes().file;
  for (const f of [fresh, personalPath(path)]) chmodSync(f, mode);
  renameSync(fresh, path);
}
