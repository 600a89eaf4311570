// Header matching: trimming, case and full-width/half-width folding, synonyms,
// and the errors a person sees when a column cannot be found.
import { describe, expect, it } from 'vitest';
import { COMPLAINTS, foldHeader } from '../pipelines/export-kinds.ts';
import { EMPTY_PROFILE, mapHeader } from '../pipelines/header-profile.ts';

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
