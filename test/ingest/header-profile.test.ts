// Header matching: trimming, case and full-width/half-width folding, synonyms,
// and the errors a person sees when a column cannot be found.
import { describe, expect, it } from 'vitest';
import { COMPLAINTS, EXPORT_KINDS, foldHeader } from '../../src/ingest/kinds.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_PROFILE, loadProfile, mapHeader, type HeaderMapping } from '../../src/ingest/profiles.ts';

const mapped = (header: string[]) => Object.fromEntries(mapHeader(header, COMPLAINTS, EMPTY_PROFILE, 'x.csv').sources.map((s) => [s.column, s.header]));

describe('header folding', () => {
  it('folds full-width letters, ideographic spaces, case and punctuation', () => {
    // ＴＩＣＫＥＴ　ＩＤ is U+FF34… with U+3000 (ideographic space), as Chinese input methods type it.
    expect(foldHeader('ＴＩＣＫＥＴ　ＩＤ')).toBe(foldHeader('Ticket ID'));
    expect(foldHeader(' Date received? ')).toBe('datereceived');
    expect(foldHeader('满意度（分）')).toBe('满意度分');
  });

  it('maps trimmed, full-width and differently-cased headers to canonical columns', () => {
    expect(mapped([' 工单号 ', 'ＣＨＡＮＮＥＬ', 'created date', '办结时间', 'Customer Satisfaction Rating', 'Agency'])).toEqual({
      complaint_id: ' 工单号 ', channel: 'ＣＨＡＮＮＥＬ', received_at: 'created date', resolved_at: '办结时间',
      satisfaction: 'Customer Satisfaction Rating', department: 'Agency',
    });
  });

  it('prefers the canonical name to a synonym when both are present', () => {
    expect(mapped(['complaint_id', '投诉编号', 'received_at'])).toMatchObject({ complaint_id: 'complaint_id' });
  });

  it('names the missing required column, the header, and the closest names', () => {
    expect(() => mapHeader(['编号', '来电日期', '来源'], COMPLAINTS, EMPTY_PROFILE, 'x.csv')).toThrow(
      /x\.csv: line 1: required columns not found: complaint_id \(closest: .*\); received_at \(closest: "来电日期"/);
  });
});

// A profile, written to a file and read as `--profile` reads it.
const profileDir = mkdtempSync(join(tmpdir(), 'pledge-header-profile-'));
const profileFrom = (name: string, yaml: string) => {
  const path = join(profileDir, name);
  writeFileSync(path, yaml);
  return loadProfile(path);
};
const how = (m: HeaderMapping) => Object.fromEntries(m.sources.map((s) => [s.column, `${s.header} (${s.how})`]));

describe('a profile against the built-in synonyms', () => {
  // The layout of a public support-ticket data set: no creation time, so the profile reads the
  // first response as the receipt; "First Response Time" is also a synonym of first_response_at.
  const tickets = ['Ticket ID', 'Customer Name', 'Ticket Status', 'Resolution', 'First Response Time', 'Time to Resolution', 'Customer Satisfaction Rating'];

  it('wins: a header the profile names feeds only the column it names it for, not the synonym\'s', () => {
    const p = profileFrom('tickets.yaml', 'columns: { received_at: First Response Time, resolved_at: Time to Resolution }\n');
    const m = mapHeader(tickets, COMPLAINTS, p, 'tickets.csv');
    expect(how(m)).toEqual({
      complaint_id: 'Ticket ID (synonym)', customer_name: 'Customer Name (canonical name)', received_at: 'First Response Time (profile)',
      resolved_at: 'Time to Resolution (profile)', satisfaction: 'Customer Satisfaction Rating (synonym)', outcome: 'Resolution (synonym)',
    });
    expect(m.unused).toEqual(['Ticket Status']);
  });

  it('also takes the header away from a synonym of a column it names elsewhere: outcome from "Ticket Status", so "Resolution" is unused', () => {
    const p = profileFrom('tickets-status.yaml', 'columns: { received_at: First Response Time, outcome: Ticket Status }\n');
    const m = mapHeader(tickets, COMPLAINTS, p, 'tickets.csv');
    expect(how(m)).toMatchObject({ outcome: 'Ticket Status (profile)' });
    expect(m.unused).toEqual(['Resolution', 'Time to Resolution']);
  });

  it('null says the export has no such column: the synonym is switched off, the header left unused', () => {
    const header = ['Ticket ID', 'Created Date', 'First Response Time', 'Closed Date'];
    expect(how(mapHeader(header, COMPLAINTS, EMPTY_PROFILE, 'x.csv'))).toMatchObject({ first_response_at: 'First Response Time (synonym)' });
    const m = mapHeader(header, COMPLAINTS, profileFrom('none.yaml', 'columns: { first_response_at: null }\n'), 'x.csv');
    expect(how(m)).toEqual({ complaint_id: 'Ticket ID (synonym)', received_at: 'Created Date (synonym)', resolved_at: 'Closed Date (synonym)' });
    expect(m.none).toEqual(['first_response_at']);
    expect(m.unused).toEqual(['First Response Time']);
  });

  it('null for a required column is an error naming the profile and the key', () => {
    const p = profileFrom('no-receipt.yaml', 'columns: { received_at: null }\n');
    expect(() => mapHeader(['Ticket ID', 'Created Date'], COMPLAINTS, p, 'x.csv'))
      .toThrow(`${p.path}: columns.received_at: null, but every complaints export needs received_at`);
  });

  it('refuses "" and [] as header names, saying to write null', () => {
    expect(() => profileFrom('empty-name.yaml', 'columns: { first_response_at: "" }\n'))
      .toThrow(/empty-name\.yaml: columns\.first_response_at: an empty header name matches nothing: write null for a column this export does not have/);
    expect(() => profileFrom('empty-list.yaml', 'columns: { first_response_at: [] }\n'))
      .toThrow(/empty-list\.yaml: columns\.first_response_at: an empty list matches nothing: write null/);
  });

  it('refuses one header named for two columns by the profile', () => {
    const p = profileFrom('twice.yaml', 'columns: { received_at: First Response Time, first_response_at: First Response Time }\n');
    expect(() => mapHeader(tickets, COMPLAINTS, p, 'tickets.csv'))
      .toThrow(`tickets.csv: line 1: ${p.path} maps both received_at and first_response_at to "First Response Time"; one header feeds one column`);
  });

  it('reads a value mapped to null or "" as no value', () => {
    expect(profileFrom('values.yaml', 'values: { satisfaction: { "Yes": 0, "No": null, "N/A": "" } }\n').values)
      .toEqual({ satisfaction: { Yes: '0', No: '', 'N/A': '' } });
  });
});

describe('the built-in synonyms', () => {
  it('give no header to two columns of a kind (so only a profile decides between two columns)', () => {
    for (const kind of Object.values(EXPORT_KINDS)) {
      const owner = new Map<string, string>();
      const clashes: string[] = [];
      for (const [column, names] of Object.entries(kind.synonyms)) {
        for (const name of [column, ...names]) {
          const other = owner.get(foldHeader(name));
          if (other && other !== column) clashes.push(`${kind.name}: "${name}" → ${other} and ${column}`);
          owner.set(foldHeader(name), column);
        }
      }
      expect(clashes).toEqual([]);
    }
  });
});
