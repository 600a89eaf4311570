import { Command } from 'commander';
import { parseMonth } from '../../models/session.ts';
import { startPreview, type PreviewOptions } from '../../apps/preview.ts';
import { PledgeError } from '../../core/errors.ts';
import { say, sharedOptions, tellAsOf } from '../options.ts';

// Below Linux's ephemeral range (32768-60999), so the OS never hands it to an
// outgoing connection; if something else holds it, a free port is used instead.
export const DEFAULT_PREVIEW_PORT = 4380;

export function previewCommand(): Command {
  const cmd = new Command('preview')
    .description('Serve the month\'s dashboard on localhost and reload it when a query, a panel or the policy changes (recomputing only what changed)')
    .requiredOption('--month <YYYY-MM>', 'reporting month')
    .option('--port <n>', `port (0: any free port; default ${DEFAULT_PREVIEW_PORT}, or a free one if that is taken)`, (v) => Number(v), DEFAULT_PREVIEW_PORT)
    .option('--host <host>', 'address to listen on (local only by default)', '127.0.0.1')
    .option('--allow-remote', 'allow a --host other machines reach (the dashboard is then readable from there)', false);
  sharedOptions(cmd, 'warehouse', 'policy', 'as-of', 'queries', 'panels', 'lang');
  return cmd
    .addHelpText('after', '\nExample:\n  pledge preview --month 2025-10     # open the printed address, edit queries/…, watch it update')
    .action(async (opts: PreviewOptions) => {
      parseMonth(opts.month);
      if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new PledgeError(`--port: "${opts.port}" is not a port`);
      const preview = await startPreview(opts);
      tellAsOf(preview.session);
      say(`preview: ${preview.url}  (watching queries, panels and ${opts.policy}; Ctrl-C to stop)`);
      await new Promise<void>((done) => {
        const stop = () => { void preview.close().then(done); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
