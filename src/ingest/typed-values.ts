// Export text → canonical typed values, as SQL expressions over the raw text.
// Timestamps: the formats real exports write are recognised without being told
// (2025-10-09 14:05:00, 2025/10/9 14:05, 2025年10月9日 14时05分, ISO 8601 with an
// offset, Excel serial day numbers, date only = the start of that day). A US or
// European 10/09/2025 is ambiguous and read only when the profile names the
// format. A wall time without an offset is local to the session zone (the
// policy's): what is stored is the instant.
//
// User values (profile formats, constants) are never pasted into the SQL: the
// expressions refer to bound parameters ($fmt_<column>, $const_<column>), and
// value mappings live in the temp table ingest_value_map.
import type { ColumnType } from './kinds.ts';

/** Text → local timestamp, trying the unambiguous formats real exports use; null when none fits. */
export const PARSE_LOCAL_TIMESTAMP_MACRO = `
create or replace temp macro pledge_local_ts(v) as try_strptime(v, [
  '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M',
  '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y.%m.%d %H:%M:%S', '%Y.%m.%d %H:%M',
  '%Y年%m月%d日 %H时%M分%S秒', '%Y年%m月%d日 %H时%M分', '%Y年%m月%d日%H时%M分', '%Y年%m月%d日 %H:%M:%S', '%Y年%m月%d日 %H:%M',
  '%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d日'
]);
create or replace temp macro pledge_excel_serial(v) as
  case when regexp_full_match(v, '[1-9][0-9]{4}(\\.[0-9]+)?')
       then timestamp '1899-12-30' + to_seconds(round(v::double * 86400)) end;
create or replace temp macro pledge_ambiguous_date(v) as regexp_full_match(v, '[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}([ T].*)?');`;

export interface ValueSpec {
  column: string;
  type: ColumnType;
  /** The profile's strptime format for this column, "excel", or undefined (bound as $fmt_ and its date part as $fmtd_). */
  dateFormat?: string;
  /** Whether the profile maps this column's values (ingest_value_map). */
  mapped: boolean;
}

/** The profile's canonical value for export text `v`, or null when it maps no such value ("" when it maps it to none). */
const mapLookup = (spec: ValueSpec, v: string) =>
  `(select m.to_value from ingest_value_map m where m.column_name = '${spec.column}' and m.from_key = lower(${v}))`;

/**
 * The text after the profile's value mapping (export value → canonical value), null when
 * empty or mapped to none (null or "" in the profile: e.g. CFPB's "N/A" is no score at all).
 */
export function mappedText(spec: ValueSpec, raw: string): string {
  const v = `nullif(trim(${raw}), '')`;
  if (!spec.mapped) return v;
  return `nullif(coalesce(${mapLookup(spec, v)}, ${v}), '')`;
}

/**
 * The rows whose value, after mapping, does not read as the column's type: text `raw` as
 * exported, `typed` its typed value. A value the profile maps to none is not one of them.
 */
export function unparsableWhere(spec: ValueSpec, raw: string, typed: string): string {
  return `${mappedText(spec, raw)} is not null and ${typed} is null`;
}

/** The SQL expression turning text `v` (already trimmed, null when empty) into the column's type; null when it does not parse. */
export function typedExpr(spec: ValueSpec, v: string): string {
  switch (spec.type) {
    case 'TIMESTAMPTZ': return timestampExpr(spec, v);
    case 'BOOLEAN': return `case lower(${v}) when 'true' then true when '1' then true when 'yes' then true when 'y' then true when '是' then true
      when 'false' then false when '0' then false when 'no' then false when 'n' then false when '否' then false end`;
    case 'INTEGER': return `try_cast(${v} as integer)`;
    case 'DOUBLE': return `try_cast(${v} as double)`;
    default: return v;
  }
}

function timestampExpr(spec: ValueSpec, v: string): string {
  if (spec.dateFormat === 'excel') return `pledge_excel_serial(${v})::timestamptz`;
  // The profile's format, then its date part alone (date-only values in a date-time column).
  const named = spec.dateFormat
    ? `try_strptime(${v}, $fmt_${spec.column})::timestamptz, try_strptime(${v}, $fmtd_${spec.column})::timestamptz, ` : '';
  return `coalesce(${named}pledge_local_ts(${v})::timestamptz, pledge_excel_serial(${v})::timestamptz,
    case when not pledge_ambiguous_date(${v}) then try_cast(${v} as timestamptz) end)`;
}

/**
 * Why a non-empty value did not parse, as the reject's reason. For a column the profile
 * maps, the reason names the fix; the value in it is masked like any text the warehouse
 * keeps (the reason is not a personal column) and cut short.
 */
export function unparsableReason(spec: ValueSpec, v: string): string {
  const type = spec.type.toLowerCase();
  if (spec.mapped && spec.type !== 'TIMESTAMPTZ') {
    const shown = `pledge_mask_text(left(${v}, 40))`;
    return `case when ${mapLookup(spec, v)} is null
        then 'value "' || ${shown} || '" of ${spec.column} has no mapping: add it under values.${spec.column} of the profile'
        else 'the profile maps "' || ${shown} || '" to "' || ${mapLookup(spec, v)} || '", which is not a ${type} value' end`;
  }
  if (spec.type !== 'TIMESTAMPTZ') return `'cannot read ${type} value'`;
  if (spec.dateFormat === 'excel') return `'not an Excel serial date (the profile says excel)'`;
  if (spec.dateFormat) return `'does not match the profile''s date format ' || $fmt_${spec.column}`;
  return `case when pledge_ambiguous_date(${v})
      then 'ambiguous date (is it month/day or day/month?): name the format in the profile (date_format: MM/DD/YYYY or DD/MM/YYYY)'
      else 'cannot read timestamp value' end`;
}
