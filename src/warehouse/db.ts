// The one module that talks to the DuckDB driver. Everything else asks it for
// rows as plain JavaScript values.
import { mkdirSync, existsSync, chmodSync, openSync, writeSync, closeSync, statfsSync } from 'node:fs';
import { outputModes } from '../core/files.ts';
import { dirname, join } from 'node:path';
import {
  DuckDBInstance, DuckDBConnection, DuckDBTypeId,
  type DuckDBValue, type DuckDBResultReader,
  DuckDBDecimalValue, DuckDBDateValue, DuckDBTimestampValue, DuckDBTimestampTZValue, DuckDBTimeValue, DuckDBBlobValue,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import { PledgeError } from '../core/errors.ts';
import { sqlIdent } from '../core/sql-text.ts';

export type Row = Record<string, unknown>;
/** Values bound to $parameters: plain JS values, or a value DuckDB already typed (see castValue). */
export type Params = Record<string, unknown>;

/** Only the parameters a statement names: DuckDB refuses values it has no place for. */
export function paramsFor(sql: string, all: Params): Params {
  return Object.fromEntries(Object.entries(all).filter(([k]) => new RegExp(`\\$${k}\\b`).test(sql)));
}

export interface OpenOptions {
  readOnly?: boolean;
  /** The policy's time zone: the session zone, and the zone times are shown in. */
  timezone?: string;
}

export class Warehouse {
  /**
   * How rows leave for an output (pledge query, reports): masked unless a command asked
   * otherwise. The connection only carries the choice; privacy/ makes and applies it.
   */
  privacy: { reveal: boolean } = { reveal: false };
  /** Views of queries/ this session did not build (it builds only what its query reads): named in errors. */
  notBuilt: string[] = [];

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly timezone: string,
  ) {}

  static async open(path: string, opts: OpenOptions = {}): Promise<Warehouse> {
    if (path !== ':memory:') {
      if (opts.readOnly && !existsSync(path)) {
        throw new PledgeError(`${path}: no warehouse here yet (run "pledge ingest <files>" or "pledge demo" first)`);
      }
      mkdirSync(dirname(path), { recursive: true, mode: outputModes().dir });
    }
    const timezone = opts.timezone ?? 'Asia/Shanghai';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, { ...(opts.readOnly ? { access_mode: 'READ_ONLY' } : {}), ...engineLimits() });
    } catch (e) {
      throw new PledgeError(`${path}: cannot open the warehouse: ${firstLine(e)}`);
    }
    // The warehouse holds personal data as exported: private to its owner (policy privacy.file_mode).
    if (path !== ':memory:' && !opts.readOnly) {
      for (const f of [path, `${path}.wal`]) if (existsSync(f)) chmodSync(f, outputModes().file);
    }
    const connection = await instance.connect();
    await connection.run(`set TimeZone = '${timezone.replace(/'/g, "''")}'`);
    // DuckDB turns an ASOF join whose left side it *estimates* small into a nested loop and
    // an aggregate; on clocks read from a temp table the estimate is far too low, and the
    // working-hour deadlines (millions of rows against every working day) then cost
    // rows x days. Always use the real ASOF join, which sorts both sides once.
    await connection.run('set asof_loop_join_threshold = 0');
    return new Warehouse(path, instance, connection, timezone);
  }

  async run(sql: string, params?: Params): Promise<void> {
    try { await this.connection.run(sql, params as Record<string, DuckDBValue> | undefined); } catch (e) { if (process.env.PLEDGE_DEBUG_SQL) console.error(sql.slice(0, 300)); throw e; }
  }

  /**
   * Runs `body` in one transaction and commits it. What is reported is the first cause: an
   * error of the body as it was thrown (a rollback failing after it is no news), and a failed
   * commit as the commit's own error (see commit).
   */
  async transaction<T>(what: string, body: () => Promise<T>): Promise<T> {
    await this.run('begin transaction');
    let result: T;
    try {
      result = await body();
    } catch (e) {
      await this.rollbackQuietly();
      throw e;
    }
    await this.commit(what);
    return result;
  }

  /**
   * Commits the open transaction. A commit that fails (a full disk while DuckDB writes the
   * WAL) has already ended the transaction, none of it written; a rollback then only says
   * "cannot rollback - no transaction is active", which must not hide the real cause.
   * `what` names what was being committed ("the import of a.csv").
   */
  async commit(what: string): Promise<void> {
    fillDiskForTest('commit', this.path);
    try {
      await this.run('commit');
    } catch (e) {
      await this.rollbackQuietly();
      throw new PledgeError(`${this.path}: ${what} could not be committed, so none of it was written: ${firstLine(e).replace(/^TransactionContext Error: Failed to commit: /, '')}`);
    }
  }

  /** Ends a transaction that failed; one DuckDB ended already (a failed commit) needs nothing. */
  private async rollbackQuietly(): Promise<void> {
    try { await this.connection.run('rollback'); } catch { /* no transaction is active: nothing to undo */ }
  }

  async reader(sql: string, params?: Params): Promise<DuckDBResultReader> {
    return this.connection.runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
  }

  /** Rows as plain objects: integers as numbers, instants as local ISO strings in the policy's zone. */
  async rows(sql: string, params?: Params): Promise<Row[]> {
    return toPlainRows(await this.reader(sql, params), this.timezone);
  }

  /**
   * The text cast to a DuckDB type by DuckDB itself (the type name is checked
   * against a plain pattern, the text is bound): the typed value to bind, or
   * undefined when the text is not of that type.
   */
  async castValue(text: string, type: string): Promise<unknown> {
    if (!/^[A-Z][A-Z0-9_]*(\(\d+(,\d+)?\))?(\[\])?$/.test(type)) throw new PledgeError(`${type}: not a type name`);
    const reader = await this.reader(`select try_cast($v as ${type}) as v`, { v: text });
    const value = reader.getRows()[0][0];
    return value === null ? undefined : value;
  }

  /** A result column by column, in driver-free form (exports build Arrow from it). */
  async columns(sql: string, params?: Params): Promise<RawColumn[]> {
    return rawColumns(await this.reader(sql, params));
  }

  /**
   * The result as plain rows (as rows() gives them), one DuckDB chunk of up to 2,048 rows
   * at a time: for outputs written as they are read, which need not fit in memory.
   */
  async *streamRows(sql: string, params?: Params): AsyncGenerator<Row[]> {
    const result = await this.connection.stream(sql, params as Record<string, DuckDBValue> | undefined);
    const names = result.columnNames();
    const kinds = names.map((_, i) => result.columnTypeId(i));
    const format = instantFormatter(this.timezone);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      yield plainRows(names, kinds, chunk.convertRows(JSDuckDBValueConverter), kinds.some(isTimestamp) ? chunk.getRows() : undefined, format);
    }
  }

  /** This warehouse's own catalog as an identifier: "main" alone could name the temporary catalog's schema. */
  async catalog(): Promise<string> {
    return sqlIdent(String(await this.value('select current_database()')));
  }

  async value<T = unknown>(sql: string, params?: Params): Promise<T> {
    const rows = await this.rows(sql, params);
    const first = rows[0];
    return (first ? Object.values(first)[0] : undefined) as T;
  }

  private closed = false;

  /** Closes the connection and the database; a second call does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * DuckDB takes 80% of the machine's memory by default. On a shared machine, or
 * with a warehouse larger than memory, PLEDGE_MEMORY_LIMIT ("1.5GB") caps it and
 * DuckDB spills to a folder of its own under PLEDGE_TEMP_DIR (default: beside the warehouse).
 */
function engineLimits(): Record<string, string> {
  const limits: Record<string, string> = {};
  if (process.env.PLEDGE_MEMORY_LIMIT) limits.memory_limit = process.env.PLEDGE_MEMORY_LIMIT;
  // One folder per process: DuckDB names its spill files alike in every process, so two
  // runs sharing a folder would overwrite each other's spilled blocks.
  // DuckDB creates the last folder of the path only.
  if (process.env.PLEDGE_TEMP_DIR) {
    mkdirSync(process.env.PLEDGE_TEMP_DIR, { recursive: true });
    limits.temp_directory = join(process.env.PLEDGE_TEMP_DIR, `pledge-${process.pid}`);
  }
  if (process.env.PLEDGE_THREADS) limits.threads = process.env.PLEDGE_THREADS;
  return limits;
}

/**
 * Test-only (test/warehouse/faults-policy.test.ts): with PLEDGE_TEST_FILL_DISK_AT=<moment>, fills the
 * file system holding the warehouse at that moment (only "commit" exists), so that a real
 * full disk meets DuckDB there. Refuses anything but a tmpfs: it must never fill a real disk.
 */
function fillDiskForTest(moment: string, warehouse: string): void {
  if (process.env.PLEDGE_TEST_FILL_DISK_AT !== moment || warehouse === ':memory:') return;
  const TMPFS_MAGIC = 0x01021994;
  if (statfsSync(dirname(warehouse)).type !== TMPFS_MAGIC) throw new Error(`PLEDGE_TEST_FILL_DISK_AT: ${dirname(warehouse)} is not a tmpfs`);
  const fd = openSync(join(dirname(warehouse), '.pledge-test-fill'), 'a');
  try {
    // Big blocks, then small ones for the last bytes: the disk is full to the byte.
    for (const size of [1 << 20, 4096, 1]) {
      const block = Buffer.alloc(size);
      try { for (;;) writeSync(fd, block); } catch { /* ENOSPC: on to smaller blocks */ }
    }
  } finally {
    closeSync(fd);
  }
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

export function toPlainRows(reader: DuckDBResultReader, timezone: string): Row[] {
  const names = reader.columnNames();
  const kinds = names.map((_, i) => reader.columnTypeId(i));
  // Timestamps keep their microseconds, which a JavaScript Date would drop.
  const exact = kinds.some(isTimestamp) ? reader.getRows() : undefined;
  return plainRows(names, kinds, reader.getRowsJS(), exact, instantFormatter(timezone));
}

const isTimestamp = (k: DuckDBTypeId) => k === DuckDBTypeId.TIMESTAMP || k === DuckDBTypeId.TIMESTAMP_TZ;

function plainRows(names: string[], kinds: DuckDBTypeId[], js: unknown[][], exact: DuckDBValue[][] | undefined,
  format: (d: Date) => string): Row[] {
  return js.map((values, r) => {
    const row: Row = {};
    values.forEach((v, i) => {
      const raw = exact?.[r][i];
      row[names[i]] = raw instanceof DuckDBTimestampValue ? raw.toString()
        : raw instanceof DuckDBTimestampTZValue ? format(v as Date) + micros(raw.micros)
          : plainValue(v, kinds[i], format);
    });
    return row;
  });
}

/** ".123456" when an instant has a fraction of a second, else nothing. */
function micros(us: bigint): string {
  const fraction = ((us % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return fraction === 0n ? '' : `.${String(fraction).padStart(6, '0')}`;
}

function plainValue(v: unknown, kind: DuckDBTypeId, format: (d: Date) => string): unknown {
  if (v === null || v === undefined) return null;
  // Integers beyond 2^53 stay exact, as text.
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) {
    if (kind === DuckDBTypeId.TIMESTAMP_TZ) return format(v);
    if (kind === DuckDBTypeId.DATE) return v.toISOString().slice(0, 10);
    return v.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }
  return v;
}

/**
 * The Node client renders TIMESTAMPTZ in UTC whatever the session zone; people read the policy's zone.
 * Intl's formatToParts costs microseconds per call, which at a million instants is seconds, so
 * the zone's UTC offset is looked up once per UTC day and the text built by arithmetic. A day
 * whose offset differs at its two ends (a change of offset, at most twice a year) is looked up
 * per quarter hour: every offset and every change of offset since 1970 falls on one.
 */
export function instantFormatter(timezone: string): (d: Date) => string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  const DAY = 86_400_000;
  const QUARTER_HOUR = 15 * 60_000;
  const offsetOf = (ms: number): number => {
    const p: Record<string, string> = {};
    for (const { type, value } of parts.formatToParts(new Date(ms))) p[type] = value;
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - ms;
  };
  const days = new Map<number, number | null>();
  const quarters = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const day = Math.floor(ms / DAY);
    let offset = days.get(day);
    if (offset === undefined) {
      const first = offsetOf(day * DAY);
      offset = first === offsetOf((day + 1) * DAY - QUARTER_HOUR) ? first : null;
      days.set(day, offset);
    }
    if (offset !== null) return offset;
    const quarter = Math.floor(ms / QUARTER_HOUR);
    let q = quarters.get(quarter);
    if (q === undefined) quarters.set(quarter, q = offsetOf(quarter * QUARTER_HOUR));
    return q;
  };
  return (d: Date) => {
    const ms = d.getTime();
    const iso = new Date(ms + offsetAt(ms)).toISOString();
    // Years 0..9999 only: beyond them toISOString writes ±YYYYYY, Intl does not.
    if (iso.length !== 24) {
      const p: Record<string, string> = {};
      for (const { type, value } of parts.formatToParts(d)) p[type] = value;
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
    }
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  };
}

/**
 * A column as exact values: integers of 64 bits as bigint, decimals as their
 * unscaled bigint with width and scale, dates as days since 1970-01-01,
 * timestamps and times as bigint microseconds (timestamptz: since the epoch, UTC).
 */
export type ColumnKind = 'boolean' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'int128' | 'float' | 'double' | 'decimal' | 'varchar' | 'date' | 'timestamp' | 'timestamptz' | 'time' | 'blob' | 'other';
export interface RawColumn { name: string; type: string; kind: ColumnKind; width?: number; scale?: number; values: unknown[] }

const KIND: Partial<Record<DuckDBTypeId, ColumnKind>> = {
  [DuckDBTypeId.BOOLEAN]: 'boolean', [DuckDBTypeId.TINYINT]: 'int8', [DuckDBTypeId.SMALLINT]: 'int16',
  [DuckDBTypeId.INTEGER]: 'int32', [DuckDBTypeId.BIGINT]: 'int64', [DuckDBTypeId.UTINYINT]: 'uint8',
  [DuckDBTypeId.HUGEINT]: 'int128', [DuckDBTypeId.USMALLINT]: 'uint16', [DuckDBTypeId.UINTEGER]: 'uint32', [DuckDBTypeId.UBIGINT]: 'uint64',
  [DuckDBTypeId.FLOAT]: 'float', [DuckDBTypeId.DOUBLE]: 'double', [DuckDBTypeId.DECIMAL]: 'decimal',
  [DuckDBTypeId.VARCHAR]: 'varchar', [DuckDBTypeId.DATE]: 'date', [DuckDBTypeId.TIMESTAMP]: 'timestamp',
  [DuckDBTypeId.TIMESTAMP_TZ]: 'timestamptz', [DuckDBTypeId.TIME]: 'time', [DuckDBTypeId.BLOB]: 'blob',
};

function rawColumns(reader: DuckDBResultReader): RawColumn[] {
  const columns = reader.getColumns();
  return reader.columnNames().map((name, i) => {
    const type = reader.columnType(i);
    const kind = KIND[reader.columnTypeId(i)] ?? 'other';
    const decimal = kind === 'decimal' ? (type as unknown as { width: number; scale: number }) : undefined;
    const values = (columns[i] ?? []).map((v) => rawValue(v, kind));
    return { name, type: type.toString(), kind, ...(decimal ? { width: decimal.width, scale: decimal.scale } : {}), values };
  });
}

function rawValue(v: DuckDBValue, kind: ColumnKind): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof DuckDBDecimalValue) return v.value;
  if (v instanceof DuckDBDateValue) return v.days;
  if (v instanceof DuckDBTimestampTZValue || v instanceof DuckDBTimestampValue) return v.micros;
  if (v instanceof DuckDBTimeValue) return v.micros;
  if (v instanceof DuckDBBlobValue) return v.bytes;
  if (kind === 'other') return String(v);
  return v;
}
