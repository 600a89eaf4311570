// `pledge sql`: the warehouse with the policy's views loaded, interactively.
// With DuckDB's own CLI on the PATH, that CLI is started on an init script that
// rebuilds the session (policy tables, variables, every view of queries/);
// otherwise a small REPL runs here, with history, reading statements up to ";".
import { createInterface } from 'node:readline';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Session } from '../models/session.ts';
import { createPrefix, defaultQueriesDir, loadCatalogue, MATERIALISATION } from '../models/queries.ts';
import { assembledViews, assembleFile, isSplit } from '../models/facts.ts';
import { inlineQuery } from '../models/query-file.ts';
import { FORMATS, resultOfQuery, writeResult, type Format } from '../outputs/results.ts';
import { PII_MACROS } from '../privacy/masking.ts';
import { sqlLiteral } from '../core/sql-text.ts';
import { CSV_TEXT_MACRO } from '../core/escape.ts';
import { ON_TARGET_MACRO } from '../warehouse/policy-tables.ts';

export const HISTORY_FILE = process.env.PLEDGE_SQL_HISTORY ?? join(homedir(), '.pledge_sql_history');
const HISTORY_SIZE = 1000;

/** The DuckDB CLI on the PATH, if any. */
export function findDuckdbCli(): string | undefined {
  const r = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['duckdb'], { encoding: 'utf8' });
  const path = r.status === 0 ? r.stdout.split('\n')[0].trim() : '';
  return path || undefined;
}


/**
 * SQL that rebuilds this session in a fresh DuckDB: the warehouse attached
 * read-only, the policy's temporary tables (written to Parquet beside the
 * script), its variables, then every file of queries/ in dependency order, each a view or a
 * temporary table as its folder says (MATERIALISATION, src/models/queries.ts).
 */
export async function sessionInitScript(session: Session, dir: string, queriesDir = defaultQueriesDir()): Promise<string> {
  const { wh } = session;
  // The split names (stored facts plus a live part, src/models/facts.ts) are not rebuilt from their
  // files: their tables are copied like the policy's, and stg_complaints is assembled as in the session.
  const files = (await loadCatalogue(wh, queriesDir)).files.filter((f) => !isSplit(f.name));
  const fromFiles = new Set(files.map((f) => f.name));
  const lines = [
    `attach ${sqlLiteral(resolve(wh.path))} as warehouse (read_only);`,
    'use warehouse;',
    `set TimeZone = ${sqlLiteral(wh.timezone)};`,
  ];
  const vars = await wh.rows(`select name, value::varchar as value, type from duckdb_variables() order by name`);
  for (const v of vars) lines.push(`set variable ${v.name} = cast(${sqlLiteral(String(v.value))} as ${v.type});`);
  // The views use the pseudonym macro (stg_complaints.customer_key); the masking macros come along.
  lines.push(PII_MACROS.trim(), CSV_TEXT_MACRO, `${ON_TARGET_MACRO};`);
  const tables = await wh.rows(`select table_name from duckdb_tables() where temporary order by table_name`);
  for (const t of tables) {
    const name = String(t.table_name);
    if (fromFiles.has(name) || name === 'pledge_result') continue;
    const file = join(dir, `${name}.parquet`);
    await wh.run(`copy ${name} to $file (format parquet)`, { file });
    lines.push(`create temp table ${name} as from read_parquet(${sqlLiteral(file)});`);
  }
  for (const name of assembledViews(queriesDir)) {
    const f = assembleFile(queriesDir, name);
    lines.push(`-- ${f.path}`, `create temp view ${name} as\n${f.sql};`);
  }
  for (const f of files) lines.push(`-- ${f.path}`, `${createPrefix(f.name, f.layer)}${f.sql};`);
  return lines.join('\n') + '\n';
}

/** Starts DuckDB's CLI on the session; returns its exit code. */
export async function runDuckdbCli(cli: string, session: Session, queriesDir?: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'pledge-sql-'));
  try {
    const init = join(dir, 'init.sql');
    writeFileSync(init, await sessionInitScript(session, dir, queriesDir), { mode: 0o600 });
    session.close();   // the CLI attaches the warehouse itself
    const r = spawnSync(cli, ['-init', init, ':memory:'], { stdio: 'inherit' });
    return r.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HELP = `Statements end with ";". Commands:
  .tables            tables and views
  .schema NAME       columns of a table or view
  .layers            what each folder of queries/ becomes, and why
  .mode FORMAT       table | csv | json
  .help              this text
  .quit              leave (or Ctrl-D)
`;

/** The materialisation rule, as src/models/queries.ts states it. */
export function layers(): string {
  const rows = Object.entries(MATERIALISATION);
  const width = Math.max(...rows.map(([f]) => f.length)) + 1;
  return rows.map(([folder, m]) => `${`${folder}/`.padEnd(width)}  ${m.becomes}: ${m.why}`).join('\n');
}

/** The built-in REPL: reads statements from `input`, prints results to `output`. */
export async function runRepl(session: Session, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
  const history = existsSync(HISTORY_FILE) ? readFileSync(HISTORY_FILE, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE) : [];
  const rl = createInterface({ input, output, terminal: interactive, history, historySize: HISTORY_SIZE, prompt: 'pledge> ' });
  const say = (text: string) => output.write(text.endsWith('\n') ? text : `${text}\n`);
  let format: Format = 'table';
  let buffer = '';
  if (interactive) say(`Pledge SQL on ${session.wh.path} · policy ${session.policy.source} · as of ${session.asOf}\n${HELP}`);
  const remember = (entry: string) => {
    try { appendFileSync(HISTORY_FILE, entry.replace(/\n/g, ' ') + '\n', { mode: 0o600 }); } catch { /* history is a convenience */ }
  };

  const run = async (sql: string) => {
    try {
      if (!/^\s*(\(|select|with|from|values|table|describe|show|summarize|pivot|unpivot)\b/i.test(sql)) {
        // Not a query (create temp view …, set …): run as it is.
        await session.wh.run(sql);
        say('ok');
        return;
      }
      const result = await resultOfQuery(session, inlineQuery(sql, 'sql'), {});
      say((await writeResult(result, format)) ?? '');
    } catch (e) {
      say(`error: ${(e as Error).message}`);
    }
  };

  const command = async (line: string): Promise<boolean> => {
    const [cmd, arg] = line.trim().split(/\s+/, 2);
    switch (cmd) {
      case '.quit': case '.exit': return false;
      case '.help': say(HELP); break;
      case '.layers': say(layers()); break;
      case '.tables': await run(`select table_name as name, case when table_type = 'VIEW' then 'view' else 'table' end as kind
        from information_schema.tables where table_name <> 'pledge_result' order by name`); break;
      case '.schema': {
        if (!arg || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg)) say('usage: .schema NAME');
        else await run(`select column_name, column_type from (describe ${arg})`);
        break;
      }
      case '.mode': {
        if ((['table', 'csv', 'json'] as string[]).includes(arg ?? '')) format = arg as Format;
        else say(`usage: .mode ${FORMATS.slice(0, 3).join(' | ')}`);
        break;
      }
      default: say(`unknown command ${cmd} (.help lists them)`);
    }
    return true;
  };

  const prompt = () => { if (interactive) rl.prompt(); };
  prompt();
  for await (const line of rl) {
    if (!buffer && line.trim().startsWith('.')) {
      remember(line.trim());
      if (!(await command(line))) break;
    } else if (line.trim() || buffer) {
      buffer += (buffer ? '\n' : '') + line;
      if (/;\s*$/.test(buffer)) {
        const sql = buffer;
        buffer = '';
        remember(sql);
        await run(sql.replace(/;\s*$/, ''));
      }
    }
    rl.setPrompt(buffer ? '   ...> ' : 'pledge> ');
    prompt();
  }
  if (buffer.trim()) await run(buffer);
  rl.close();
}
