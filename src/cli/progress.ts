// What a long command is doing, on stderr: ingest of a few hundred thousand complaints
// runs half a minute and a run over a year of data more than a minute, and a silent
// terminal for that long reads as a hang. On a terminal a bar (cli-progress) counts the
// phases and names the one under way; anywhere else (a pipe, a log file, CI) each phase
// ends with one plain line, "run: dashboard 3.1 s", that a log keeps and grep finds.
// stdout is left to the command's results; --quiet silences all of this.
import cliProgress from 'cli-progress';
import { visibleControls } from '../core/escape.ts';

export interface Progress {
  /** The phase now under way (shown in the bar; nothing is printed until it ends). */
  start(phase: string): void;
  /** The phase under way has ended: `line` says what it did (the elapsed seconds are appended). */
  done(line: string): void;
  /** A phase more than counted at the start (the bar's total grows). */
  more(phases: number): void;
  /** The command is over: the bar is removed. */
  stop(): void;
}

export interface ProgressOptions {
  /** The command's name, the prefix of every line ("ingest", "run"). */
  command: string;
  /** Phases the command expects to go through (the bar's total; grown with more()). */
  phases: number;
  quiet?: boolean;
  /** Where it goes (default process.stderr); a bar only when it is a terminal. */
  stream?: NodeJS.WriteStream;
}

/** Says nothing: for callers of ingest() and run() that are not the command line (demo, tests). */
export const SILENT: Progress = { start() {}, done() {}, more() {}, stop() {} };

export function progress(opts: ProgressOptions): Progress {
  if (opts.quiet) return SILENT;
  const stream = opts.stream ?? process.stderr;
  let began = performance.now();
  const seconds = () => `${((performance.now() - began) / 1000).toFixed(1)} s`;
  if (!stream.isTTY) {
    return {
      start() { began = performance.now(); },
      done(line) { stream.write(`${opts.command}: ${visibleControls(line)} ${seconds()}\n`); },
      more() {},
      stop() {},
    };
  }
  let total = opts.phases;
  let value = 0;
  const bar = new cliProgress.SingleBar({
    stream, format: `${opts.command} [{bar}] {value}/{total} {phase}`, clearOnComplete: true, hideCursor: true,
    barsize: 24, fps: 5, etaBuffer: 1,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { phase: '' });
  let running = true;
  return {
    start(phase) { began = performance.now(); if (running) bar.update(value, { phase: visibleControls(phase) }); },
    done(line) {
      value += 1;
      if (!running) return;
      // The finished phase's line stays above the bar, so the terminal keeps the same record a log does.
      stream.write(`\r\x1b[2K${opts.command}: ${visibleControls(line)} ${seconds()}\n`);
      bar.update(Math.min(value, total), { phase: '' });
    },
    more(phases) { total += phases; if (running) bar.setTotal(total); },
    stop() { if (running) { running = false; bar.stop(); } },
  };
}
