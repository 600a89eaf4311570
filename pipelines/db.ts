// The one module that talks to the DuckDB driver. Everything else asks it for
// rows as plain JavaScript values.
import { mkdirSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DuckDBInstance, DuckDBConnection, DuckDBTypeId,
  type DuckDBValue, type DuckDBResultReader,
} from '@duckdb/node-api';
import { PledgeError } from './errors.ts';

export type Row = Record<string, unknown>;
export type Params = Record<string, string | number | boolean | null>;

export interface OpenOptions {
  readOnly?: boolean;
  /** The policy's time zone: the session zone, and the zone times are shown in. */
  timezone?: string;
}

export class Warehouse {
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
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    }
    const timezone = opts.timezone ?? 'Asia/Shanghai';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, opts.readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (e) {
      throw new PledgeError(`${path}: cannot open the warehouse: ${firstLine(e)}`);
    }
    const connection = await instance.connect();
    await connection.run(`set TimeZone = '${timezone.replace(/'/g, "''")}'`);
    return new Warehouse(path, instance, connection, timezone);
  }

  async run(sql: string, params?: Params): Promise<void> {
    try { await this.connection.run(sql, params as Record<string, DuckDBValue> | undefined); } catch (e) { if (process.env.PLEDGE_DEBUG_SQL) console.error(sql.slice(0, 300)); throw e; }
  }

  async reader(sql: string, params?: Params): Promise<DuckDBResultReader> {
    return this.connection.runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
  }

  /** Rows as plain objects: integers as numbers, instants as local ISO strings in the policy's zone. */
  async rows(sql: string, params?: Params): Promise<Row[]> {
    return toPlainRows(await this.reader(sql, params), this.timezone);
  }

  async value<T = unknown>(sql: string, params?: Params): Promise<T> {
    const rows = await this.rows(sql, params);
    const first = rows[0];
    return (first ? Object.values(first)[0] : undefined) as T;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** Columns with their DuckDB type names, for exports and error messages. */
export function columnsOf(reader: DuckDBResultReader): { name: string; type: string }[] {
  return reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
}

export function toPlainRows(reader: DuckDBResultReader, timezone: string): Row[] {
  const names = reader.columnNames();
  const kinds = names.map((_, i) => reader.columnTypeId(i));
  const format = instantFormatter(timezone);
  return reader.getRowsJS().map((values) => {
    const row: Row = {};
    values.forEach((v, i) => { row[names[i]] = plainValue(v, kinds[i], format); });
    return row;
  });
}

function plainValue(v: unknown, kind: DuckDBTypeId, format: (d: Date) => string): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) {
    if (kind === DuckDBTypeId.TIMESTAMP_TZ) return format(v);
    if (kind === DuckDBTypeId.DATE) return v.toISOString().slice(0, 10);
    return v.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }
  return v;
}

/** The Node client renders TIMESTAMPTZ in UTC whatever the session zone; people read the policy's zone. */
export function instantFormatter(timezone: string): (d: Date) => string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  return (d: Date) => {
    const p: Record<string, string> = {};
    for (const { type, value } of parts.formatToParts(d)) p[type] = value;
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };
}
