// Arrow IPC from a DuckDB result. The node client has no Arrow export of its
// own (and DuckDB has no COPY … (format arrow)), so the table is built with
// apache-arrow from the exact column values: 64-bit integers, decimals and
// microsecond timestamps are written from their integer representation, never
// through a JavaScript number, so nothing is rounded on the way.
import {
  Table, Vector, Field, Schema, makeData, makeBuilder, tableToIPC, RecordBatch, Struct,
  type DataType, Bool, Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64, Float32, Float64,
  Decimal, Utf8, DateDay, TimestampMicrosecond, TimeMicrosecond, Binary, TimeUnit, Timestamp,
} from 'apache-arrow';
import type { RawColumn } from '../warehouse/db.ts';

/** The Arrow type of a DuckDB column; TIMESTAMPTZ carries the session's zone as Arrow metadata (values stay UTC). */
function arrowType(c: RawColumn, timezone: string): DataType {
  switch (c.kind) {
    case 'boolean': return new Bool();
    case 'int8': return new Int8();
    case 'int16': return new Int16();
    case 'int32': return new Int32();
    case 'int64': return new Int64();
    case 'uint8': return new Uint8();
    case 'uint16': return new Uint16();
    case 'uint32': return new Uint32();
    case 'uint64': return new Uint64();
    case 'float': return new Float32();
    case 'double': return new Float64();
    case 'decimal': return new Decimal(c.scale!, c.width!, 128);
    case 'int128': return new Decimal(0, 38, 128);   // HUGEINT: Arrow has no 128-bit integer; a whole-number decimal holds it
    case 'date': return new DateDay();
    case 'timestamp': return new TimestampMicrosecond();
    case 'timestamptz': return new Timestamp(TimeUnit.MICROSECOND, timezone);
    case 'time': return new TimeMicrosecond();
    case 'blob': return new Binary();
    default: return new Utf8();   // VARCHAR, and nested or rare types as their DuckDB text
  }
}

function validity(values: unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else nullBitmap[i >> 3] |= 1 << (i & 7);
  });
  return { nullBitmap, nullCount };
}

/** A signed 128-bit integer as four little-endian 32-bit words (two's complement), as Arrow stores decimals. */
function int128Words(v: bigint, into: Uint32Array, at: number): void {
  let x = BigInt.asUintN(128, v);
  for (let w = 0; w < 4; w++) {
    into[at + w] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
}

function vectorOf(c: RawColumn, type: DataType): Vector {
  const { nullBitmap, nullCount } = validity(c.values);
  const length = c.values.length;
  switch (c.kind) {
    case 'int64': case 'uint64': case 'timestamp': case 'timestamptz': case 'time': {
      const data = c.kind === 'uint64' ? new BigUint64Array(length) : new BigInt64Array(length);
      c.values.forEach((v, i) => { if (v !== null) data[i] = BigInt(v as bigint); });
      return new Vector([makeData({ type, length, nullCount, nullBitmap, data } as never)]);
    }
    case 'decimal': case 'int128': {
      const data = new Uint32Array(length * 4);
      c.values.forEach((v, i) => { if (v !== null) int128Words(v as bigint, data, i * 4); });
      return new Vector([makeData({ type, length, nullCount, nullBitmap, data } as never)]);
    }
    case 'date': {
      const data = new Int32Array(length);
      c.values.forEach((v, i) => { if (v !== null) data[i] = v as number; });
      return new Vector([makeData({ type, length, nullCount, nullBitmap, data } as never)]);
    }
    default: {
      const builder = makeBuilder({ type, nullValues: [null] });
      for (const v of c.values) builder.append(v as never);
      return builder.finish().toVector();
    }
  }
}

export function arrowTable(columns: RawColumn[], timezone: string): Table {
  const fields = columns.map((c) => new Field(c.name, arrowType(c, timezone), true));
  const vectors = columns.map((c, i) => vectorOf(c, fields[i].type));
  const schema = new Schema(fields);
  const length = columns[0]?.values.length ?? 0;
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children: vectors.map((v) => v.data[0]) });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** Arrow IPC file format (what pyarrow.ipc.open_file and R arrow::read_ipc_file read). */
export function arrowIpc(columns: RawColumn[], timezone: string): Uint8Array {
  return tableToIPC(arrowTable(columns, timezone), 'file');
}
