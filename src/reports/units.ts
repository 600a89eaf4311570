// Where each unit's performance-review page lives. Department and team names come
// from the exports (any characters), so file names are a short hash of the name:
// stable from month to month, safe on every file system and in every URL.
import { createHash } from 'node:crypto';

export type UnitLevel = 'department' | 'team';

export function unitSlug(level: UnitLevel, unit: string): string {
  return `${level === 'department' ? 'd' : 't'}-${createHash('sha256').update(unit, 'utf8').digest('hex').slice(0, 10)}`;
}

/** Path of a unit's page relative to the month folder (where index.html is). */
export function unitPagePath(level: UnitLevel, unit: string): string {
  return `${level}/${unitSlug(level, unit)}.html`;
}

/**
 * Path of a complaint's clock story relative to the month folder. Complaint ids come from the
 * export too: a hash as for units, with the id's safe characters in front so a reader can tell
 * the files apart.
 */
export function storyPagePath(complaintId: string): string {
  const safe = complaintId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);
  return `complaint/${safe ? `${safe}-` : ''}${createHash('sha256').update(complaintId, 'utf8').digest('hex').slice(0, 8)}.html`;
}
