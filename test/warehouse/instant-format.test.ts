// instantFormatter builds local times by arithmetic from a cached UTC offset; Intl's own
// formatting is the reference it must equal, across every change of offset.
import { describe, expect, it } from 'vitest';
import { instantFormatter } from '../../src/warehouse/db.ts';

function intlFormat(timezone: string): (d: Date) => string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  return (d) => {
    const p: Record<string, string> = {};
    for (const { type, value } of parts.formatToParts(d)) p[type] = value;
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };
}

describe('instantFormatter', () => {
  it('writes the policy zone wall time', () => {
    const f = instantFormatter('Asia/Shanghai');
    expect(f(new Date('2025-10-31T23:00:00Z'))).toBe('2025-11-01 07:00:00');
    expect(f(new Date('1991-07-01T00:30:00Z'))).toBe('1991-07-01 09:30:00'); // China's last summer time
  });

  // Zones with summer time (New York, London), a half-hour offset (Kolkata), a half-hour
  // change (Lord Howe) and China's summer time of 1986-1991, every 67 min 13 s from 1986 to 2026.
  for (const zone of ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
    it(`equals Intl in ${zone}`, () => {
      const fast = instantFormatter(zone);
      const reference = intlFormat(zone);
      const differing: string[] = [];
      for (let ms = Date.UTC(1986, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 4_033_000) {
        const d = new Date(ms);
        if (fast(d) !== reference(d)) differing.push(`${d.toISOString()}: ${fast(d)} ≠ ${reference(d)}`);
      }
      expect(differing.slice(0, 3)).toEqual([]);
    });
  }
});
