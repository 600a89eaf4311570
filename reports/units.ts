// Where each unit's performance-review page lives. Department and team names come
// from the exports (any characters), so file names are a short hash of the name:
// stable from month to month, safe on every file system and in every URL.
import { createHash } from 'node:crypto';

import { join } from 'node:path';
import type { Row } from '../pipelines/db.ts';
import { formatRows } from '../pipelines/commands/query.ts';
import { writeFileAtomic } from './write.ts';

export type UnitLevel = 'department' | 'team';

export function unitSlug(level: UnitLevel, unit: string): string {
  return `${level === 'department' ? 'd' : 't'}-${createHash('sha256').update(unit, 'utf8').digest('hex').slice(0, 10)}`;
}

/** Path of a unit's page relative to the month folder (where index.html is). */
export function unitPagePath(level: UnitLevel, unit: string): string {
  return `${level}/${unitSlug(level, unit)}.html`;
}

/** Writes the full lists a page links to, beside it (same CSV as `pledge query --format csv`). */
export function writeCsvFiles(dir: string, files: Map<string, Row[]>): string[] {
  const written: string[] = [];
  for (const [name, rows] of files) {
    const path = join(dir, name);
    writeFileAtomic(path, formatRows(rows, 'csv'));
    written.push(path);
  }
  return written;
}
