// Where Pledge's own files are, and its version: written once, so a module
// that moves within src/ does not have to count its way back to the root.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project's root folder (the one holding package.json, queries/ and panels/). */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** Pledge's version, from package.json. */
export const PLEDGE_VERSION: string = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
