// Options several commands share, with the same names and defaults everywhere.
import type { Command } from 'commander';
import { visibleControls } from '../core/escape.ts';
import { asOfNotice, type Session } from '../models/session.ts';

export const DEFAULT_WAREHOUSE = 'data/warehouse.duckdb';
export const DEFAULT_POLICY = 'data/policy.yaml';
export const DEFAULT_OUT = 'reports/out';

export function warehouseOption(cmd: Command): Command {
  return cmd.option('--warehouse <file>', 'DuckDB warehouse file', DEFAULT_WAREHOUSE);
}

export function policyOption(cmd: Command): Command {
  return cmd.option('--policy <file>', 'policy file (YAML)', DEFAULT_POLICY);
}

export function asOfOption(cmd: Command): Command {
  return cmd.option('--as-of <instant>', 'evaluate as of this instant, local to the policy time zone ("2025-11-01 00:00")');
}

export function revealOption(cmd: Command): Command {
  return cmd.option('--reveal-pii', 'show customer names, phones, ID numbers and e-mail unmasked (recorded in <warehouse>.reveal.log)', false);
}

// Lines for the terminal may quote file names and values from an export: escape
// sequences and bidi overrides in them are shown, not obeyed.
export function say(line: string): void {
  process.stdout.write(`${visibleControls(line)}\n`);
}

/** Tells on stderr which as-of instant the command used (and when it is past where the data ends). */
export function tellAsOf(session: Session): void {
  const [asOf, ...warnings] = asOfNotice(session);
  process.stderr.write(`${asOf}\n`);
  for (const w of warnings) warn(w);
}

export function warn(line: string): void {
  process.stderr.write(`warning: ${visibleControls(line)}\n`);
}
