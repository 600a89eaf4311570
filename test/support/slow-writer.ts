// A child process for the interrupted-write test: starts replacing a report through
// writeStreamAtomic, writes 1 MiB, says so on stdout, then hangs until it is killed.
import { writeStreamAtomic } from '../../src/core/files.ts';

const [target] = process.argv.slice(2);
async function* chunks() {
  yield Buffer.alloc(1024 * 1024, 'n');
  process.stdout.write('written\n');
  await new Promise(() => setInterval(() => {}, 1000));   // never finishes: the crash comes first
}
await writeStreamAtomic(target, chunks());
