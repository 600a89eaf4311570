import { Command } from 'commander';
import { PledgeError } from '../../core/errors.ts';
import { engineNote, verifyPack, type Verdict } from '../../apps/assess/verify.ts';
import { say } from '../options.ts';

export function verifyCommand(): Command {
  return new Command('verify')
    .description('Check an assessment pack: every file against its manifest, the inputs against their SHA-256, and every output re-computed from the inputs with the pack\'s own SQL and policy')
    .argument('<dir>', 'the pack folder (written by pledge assess)')
    .option('--inputs <dir>', 'folder holding the input files named in the manifest (default: where they were when the pack was made)')
    .addHelpText('after', '\nExample:\n  pledge verify reports/out/assess-2025Q3 --inputs data/demo\nExits 1 when anything does not match, naming the file.')
    .action(async (dir: string, opts: { inputs?: string }) => {
      const { manifest, verdicts } = await verifyPack(dir, opts);
      say(engineNote(manifest));
      for (const v of verdicts) say(formatVerdict(v));
      const bad = verdicts.filter((v) => !v.ok);
      if (bad.length) throw new PledgeError(`verify: ${bad.length} of ${verdicts.length} do not match: ${bad.map((v) => v.subject).join(', ')}`);
      say(`verify: all ${verdicts.length} match`);
    });
}

export function formatVerdict(v: Verdict): string {
  return v.ok ? `match     ${v.subject}` : `MISMATCH  ${v.subject}: ${v.problems.join('; ')}`;
}
