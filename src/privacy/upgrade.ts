// A warehouse made before personal data was kept apart (its complaint_versions has no
// customer_key column) holds customers' ids, names, phones and free text as exported.
// On first use it is upgraded in place: the values as read move to "<warehouse>.personal",
// and the warehouse is written anew with pseudonyms and masked forms, as a fresh file
// renamed over the old one, so that no freed block of the file still holds an old value.
// Stored facts are left behind (they are derived; the next build makes them again).
import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs';
import { paramsFor, Warehouse, type OpenOptions } from '../warehouse/db.ts';
import { sqlLiteral } from '../core/sql-text.ts';
import { PledgeError } from '../core/errors.ts';
import {
  attachPersonalForWrite, keyParams, maskedSelect, PERSONAL, PERSONAL_COLUMNS, PERSONAL_TABLES, personalPath, writePersonal, type PersonalTable,
} from './personal.ts';
import { installMasking, loadPseudonymKey } from './keys.ts';
import type { Policy } from '../warehouse/policy.ts';
import { outputModes } from '../core/files.ts';

/** Whether the open warehouse predates the personal file. */
export async function isOld(wh: Warehouse): Promise<boolean> {
  const [r] = await wh.rows(`select count(*) filter (where table_name = 'complaint_versions') as tables,
      count(*) filter (where table_name = 'complaint_versions' and column_name = 'customer_key') as keys
    from duckdb_columns() where database_name = current_database() and schema_name = 'main'`);
  return Number(r.tables) > 0 && Number(r.keys) === 0;
}

/**
 * Opens the warehouse as Warehouse.open does, upgrading it first if it is old: the check
 * runs on the connection the command goes on to use, so a current warehouse is opened once.
 */
export async function openWarehouse(path: string, opts: OpenOptions, policy: Policy): Promise<Warehouse> {
  const wh = await Warehouse.open(path, opts);
  let old: boolean;
  try {
    old = path !== ':memory:' && await isOld(wh);
  } catch (e) {
    wh.close();
    throw e;
  }
  if (!old) return wh;
  wh.close();
  await upgradeOld(path, policy);
  return Warehouse.open(path, opts);
}

/** Upgrades the warehouse at `path` if it is old (for a command that only attaches it); does nothing for a current or missing one. */
export async function upgradeIfOld(path: string, policy: Policy): Promise<void> {
  if (path === ':memory:' || !existsSync(path)) return;
  (await openWarehouse(path, { readOnly: true, timezone: policy.timezone }, policy)).close();
}

async function upgradeOld(path: string, policy: Policy): Promise<void> {
  process.stderr.write(`${path}: upgrading: customers' personal data moves to ${personalPath(path)}; the warehouse keeps pseudonyms and masked forms\n`);
  try {
    await upgrade(path, loadPseudonymKey(path, policy.privacy.key_file), policy.timezone);
  } catch (e) {
    throw new PledgeError(`${path}: cannot upgrade the warehouse (it is unchanged): ${(e as Error).message.split('\n')[0]}`);
  }
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
    await wh.run(`attach ${sqlLiteral(path)} as old_warehouse (read_only)`);
    await wh.run(`copy from database old_warehouse to ${await wh.catalog()} (schema)`);
    const tables = (await wh.rows(`select table_name from duckdb_tables() where database_name = 'old_warehouse' and schema_name = 'main' order by 1`))
      .map((r) => String(r.table_name));
    const bound = keyParams(key);
    for (const t of tables) {
      if (t === 'fact_build' || t.startsWith('fact_')) { await wh.run(`drop table ${t}`); continue; }
      if (t in PERSONAL_COLUMNS) {
        if (t === 'complaint_versions') await wh.run('alter table complaint_versions add column customer_key varchar');
        const sql = `insert into ${t} by name ${maskedSelect(t as PersonalTable, `select * from old_warehouse.main.${t}`)}`;
        await wh.run(sql, paramsFor(sql, bound));
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
      await writePersonal(wh, t, `from old_warehouse.main.${t}`);
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
