// A calendar quarter as the assessment names it: "2025Q3" → July to September 2025.
import { PledgeError } from '../core/errors.ts';

export interface Quarter {
  label: string;      // "2025Q3"
  start: string;      // first day, "2025-07-01"
  end: string;        // first day after it, "2025-10-01"
  months: string[];   // ["2025-07", "2025-08", "2025-09"]
}

export function parseQuarter(text: string): Quarter {
  const m = /^(\d{4})[Qq]([1-4])$/.exec(text.trim());
  if (!m) throw new PledgeError(`--quarter: "${text}" is not a quarter (try "2025Q3")`);
  const year = Number(m[1]);
  const q = Number(m[2]);
  const first = (q - 1) * 3 + 1;
  const months = [0, 1, 2].map((i) => `${year}-${String(first + i).padStart(2, '0')}`);
  const end = q === 4 ? `${year + 1}-01-01` : `${year}-${String(first + 3).padStart(2, '0')}-01`;
  return { label: `${year}Q${q}`, start: `${months[0]}-01`, end, months };
}
