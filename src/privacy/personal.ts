// Personal data kept apart, by construction (严禁泄露用户个人信息).
//
// The warehouse holds no personal value as exported. At ingest, each personal column
// of an export (customer id, name, phone, free text; a reject's raw value and line) is
// written twice:
//   - as read, to "<warehouse>.personal", a second DuckDB file (owner-only) that only a
//     session opened with --reveal-pii attaches;
//   - pseudonymised or masked, to the warehouse's own tables, which every session,
//     view, export and `pledge sql` reads.
// So no expression, cast, join or export of a normal session can reach a raw value:
// it is not in the database the session opened. The masks at the output door
// (src/privacy/masking.ts) stay as a second line of defence.
//
// The pseudonym key never enters SQL as a value a query could read: pseudonyms are
// computed at ingest, in Pledge's own statements, with the key's two HMAC pads bound
// as parameters of the one statement that uses them.
import { existsSync } from 'node:fs';
import type { Params, Warehouse } from '../warehouse/db.ts';
import { PledgeError } from '../core/errors.ts';
import { createHash, createHmac } from 'node:crypto';
import { sqlLiteral } from '../core/sql-text.ts';

// Hex digits written as the letters a–p: a key never holds a run of digits that would look
// like a phone number (to a reader, to the demo's leak check, or to maskText).
const HEX_AS_LETTERS = 'abcdefghijklmnop';

/** The schema name the personal file is attached as, in ingest and --reveal-pii sessions. */
export const PERSONAL = 'personal';

/** "<warehouse>.personal"; an in-memory warehouse keeps its personal data in memory too. */
export function personalPath(warehouse: string): string {
  return warehouse === ':memory:' ? ':memory:' : `${warehouse}.personal`;
}

/**
 * The personal columns of each warehouse table, and the SQL of what the warehouse keeps
 * instead (over the row's own columns, named as in the table). The personal file has
 * a table of the same name holding these columns as read, keyed like its table.
 */
export const PERSONAL_COLUMNS = {
  complaint_versions: {
    key: ['import_id', 'line_no'],
    columns: {
      customer_id: pseudonymSql('nullif(trim(customer_id), \'\')'),
      customer_name: 'pledge_mask_name(customer_name)',
      customer_phone: 'pledge_mask_phone(customer_phone)',
      // The customer's own name wherever the text repeats it ("张三丰说…"), then every pattern.
      description: `pledge_mask_text(case when length(trim(customer_name)) >= 2
        then replace(description, trim(customer_name), pledge_mask_name(customer_name)) else description end)`,
      outcome: 'pledge_mask_text(outcome)',
    },
  },
  event_versions: {
    key: ['import_id', 'line_no'],
    columns: { detail: 'pledge_mask_text(detail)' },
  },
  // Appeals (申诉记录): the reason is free text, which can name people and numbers.
  appeal_versions: {
    key: ['import_id', 'line_no'],
    columns: { reason: 'pledge_mask_text(reason)' },
  },
  rejects: {
    // One raw value per line and column, one raw line per line (a line may have several reasons).
    key: ['import_id', 'line_no', 'column_name'],
    columns: {
      raw_value: `case column_name
        when 'customer_id' then ${pseudonymSql('nullif(trim(raw_value), \'\')')}
        when 'customer_name' then pledge_mask_name(raw_value)
        when 'customer_phone' then pledge_mask_phone(raw_value)
        else pledge_mask_text(raw_value) end`,
      raw_line: 'pledge_mask_raw_line(raw_line)',
    },
  },
} as const;

export type PersonalTable = keyof typeof PERSONAL_COLUMNS;
export const PERSONAL_TABLES = Object.keys(PERSONAL_COLUMNS) as PersonalTable[];

/**
 * The customer pseudonym (HMAC-SHA256 under the key, "K" + 16 letters a–p, the same as
 * customerKey) of a text expression; reads the bound parameters $key_inner
 * and $key_outer (keyParams).
 */
export function pseudonymSql(expr: string): string {
  return `case when (${expr}) is null then null else 'K' || translate(left(sha256(unhex($key_outer) || unhex(sha256(unhex($key_inner) || encode(${expr})))), 16),
    '0123456789abcdef', '${HEX_AS_LETTERS}') end`;
}

/**
 * A complaint without a customer id: the pseudonym of its mobile number (last 11 digits),
 * over the row as read. With an id, the customer is the id's own pseudonym (customer_id as
 * stored), so each row's key is hashed once.
 */
const PHONE_KEY_SQL = `case when nullif(trim(customer_id), '') is null
  then ${pseudonymSql(`'tel:' || nullif(right(regexp_replace(customer_phone, '[^0-9]', '', 'g'), 11), '')`)} end`;

/**
 * HMAC-SHA256 of the customer identity under the pseudonym key: "K" + its first 64 bits as
 * 16 letters a–p. What pseudonymSql computes in SQL, here in TypeScript: the reference
 * test/privacy/pii.test.ts holds the SQL to.
 */
export function customerKey(value: string | null | undefined, key: Buffer): string | null {
  const v = (value ?? '').trim();
  if (!v) return null;
  return 'K' + createHmac('sha256', key).update(v, 'utf8').digest('hex').slice(0, 16).replace(/[0-9a-f]/g, (c) => HEX_AS_LETTERS[parseInt(c, 16)]);
}

/** HMAC = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)): the two padded keys, as hex, bound as the parameters of pseudonymSql. */
export function hmacPads(key: Buffer): { inner: string; outer: string } {
  const block = Buffer.alloc(64);
  // RFC 2104: a key longer than the hash's block is hashed first.
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  return {
    inner: Buffer.from(block.map((b) => b ^ 0x36)).toString('hex'),
    outer: Buffer.from(block.map((b) => b ^ 0x5c)).toString('hex'),
  };
}

/** The parameters pseudonymSql reads, for the one statement that uses them. */
export function keyParams(key: Buffer): Params {
  const { inner, outer } = hmacPads(key);
  return { key_inner: inner, key_outer: outer };
}

const KEY_TYPES: Record<string, string> = { import_id: 'integer not null', line_no: 'bigint', column_name: 'varchar' };

// personal.imports names the file each import was, so rows are only ever matched to the
// warehouse import they came from (a warehouse deleted and made again numbers imports from 1 again).
const PERSONAL_DDL = `create table if not exists ${PERSONAL}.imports (import_id integer not null, sha256 varchar not null);\n`
  + PERSONAL_TABLES.map((t) => `create table if not exists ${PERSONAL}.${t} (${[
    ...PERSONAL_COLUMNS[t].key.map((k) => `${k} ${KEY_TYPES[k]}`),
    ...Object.keys(PERSONAL_COLUMNS[t].columns).map((c) => `${c} varchar`),
  ].join(', ')});`).join('\n');

/** The personal file's imports that are the warehouse's imports of the same number (same file). */
const matchingImports = (catalog: string) => `select import_id from ${PERSONAL}.imports join ${catalog}.main.imports using (import_id, sha256)`;

async function attached(wh: Warehouse): Promise<boolean> {
  return Number(await wh.value(`select count(*) from duckdb_databases() where database_name = '${PERSONAL}'`)) > 0;
}

/**
 * Attaches the personal file for writing (ingest), creating it and its tables when new,
 * and forgets what an import that never committed left there.
 */
export async function attachPersonalForWrite(wh: Warehouse, file = personalPath(wh.path)): Promise<void> {
  if (await attached(wh)) return;
  await wh.run(`attach ${sqlLiteral(file)} as ${PERSONAL}`);
  await wh.run(PERSONAL_DDL);
  // An import is written here first and to the warehouse after (one transaction cannot write
  // both files): a kill between the two leaves rows of an import the warehouse never recorded.
  const catalog = await wh.catalog();
  for (const t of [...PERSONAL_TABLES, 'imports']) {
    await wh.run(`delete from ${PERSONAL}.${t} where import_id not in (${matchingImports(catalog)})`);
  }
}

/** Names the file an import's personal rows come from (before they are written). */
export async function recordPersonalImport(wh: Warehouse, importId: number, sha256: string): Promise<void> {
  await wh.run(`insert into ${PERSONAL}.imports values ($importId, $sha256)`, { importId, sha256 });
}

/**
 * --reveal-pii: the personal file attached read-only, and each personal table of the
 * warehouse shadowed by a temporary view of the same name with the values as read, so
 * every view of queries/ shows them. A value the personal file lacks stays as stored.
 */
export async function revealPersonal(wh: Warehouse): Promise<void> {
  const file = personalPath(wh.path);
  if (file !== ':memory:' && !existsSync(file)) {
    throw new PledgeError(`${wh.path}: --reveal-pii: no personal data is kept for this warehouse (${file} is missing)`);
  }
  const catalog = await wh.catalog();
  if (!(await attached(wh))) await wh.run(`attach ${sqlLiteral(file)} as ${PERSONAL} (read_only)`);
  await wh.run(`create or replace temp table personal_imports as ${matchingImports(catalog)}`);
  // A warehouse made before flow logs has no event_versions.
  const present = new Set((await wh.rows(`select table_name from duckdb_tables() where database_name = current_database()`)).map((r) => String(r.table_name)));
  for (const t of PERSONAL_TABLES.filter((t) => present.has(t))) {
    const { key, columns } = PERSONAL_COLUMNS[t];
    const cols = Object.keys(columns);
    const on = key.map((k) => `p.${k} is not distinct from v.${k}`).join(' and ') + ' and p.import_id in (from personal_imports)';
    await wh.run(`create or replace temp view ${t} as
      select v.* replace (${cols.map((c) => `coalesce(p.${c}, v.${c}) as ${c}`).join(', ')})
      from ${catalog}.main.${t} v left join ${PERSONAL}.${t} p on ${on}`);
  }
}

/**
 * Writes personal values as read: `source` is a relation with (at least) the table's key
 * and personal columns under their own names; rows with none of them are left out. The
 * caller writes the masked rows to the warehouse after, in its own transaction.
 */
export async function writePersonal(wh: Warehouse, table: PersonalTable, source: string): Promise<void> {
  const { key, columns } = PERSONAL_COLUMNS[table];
  const cols = Object.keys(columns);
  const any = cols.map((c) => `${c} is not null`).join(' or ');
  const select = table === 'rejects'
    ? `select ${key.join(', ')}, ${cols.map((c) => `any_value(${c}) as ${c}`).join(', ')} from (${source}) where line_no is not null and (${any}) group by all`
    : `select ${key.join(', ')}, ${cols.join(', ')} from (${source}) where ${any}`;
  await wh.run(`insert into ${PERSONAL}.${table} (${[...key, ...cols].join(', ')}) ${select}`);
}

/** The masked and pseudonymised forms of a personal table's columns, over a relation with its columns by name. */
export function maskedSelect(table: PersonalTable, relation: string): string {
  const masks = Object.entries(PERSONAL_COLUMNS[table].columns).map(([c, sql]) => `${sql} as ${c}`);
  const masked = `select * replace (${masks.join(', ')}) from (${relation})`;
  if (table !== 'complaint_versions') return masked;
  // customer_key: the customer's pseudonym, of customer_id, else of the mobile number.
  return `select * exclude (phone_key), coalesce(customer_id, phone_key) as customer_key
    from (select * replace (${masks.join(', ')}), ${PHONE_KEY_SQL} as phone_key from (${relation}))`;
}

/** Removes one import's personal rows (its warehouse transaction failed). */
export async function forgetPersonal(wh: Warehouse, importId: number): Promise<void> {
  for (const t of [...PERSONAL_TABLES, 'imports']) await wh.run(`delete from ${PERSONAL}.${t} where import_id = $importId`, { importId });
}
