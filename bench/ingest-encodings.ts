// Benchmark: ingesting the same demo complaints as UTF-8 and as GB18030, with
// the decoded text handed to DuckDB through a named pipe (the default) or a
// streamed temp file (PLEDGE_INGEST_VIA=file). Prints wall time, rows per
// second and the peak resident memory of the process for each.
//
//   node bin/run-ts.mjs bench/ingest-encodings.ts --complaints 200000
import { mkdtempSync, rmSync, statSync, createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { generateDemo } from '../data/generate.ts';
import { parseScriptArgs } from '../data/args.ts';

const { values: { complaints } } = parseScriptArgs({
  script: 'bench/ingest-encodings.ts',
  about: 'Ingests the same demo complaints as UTF-8 and as GB18030, through a named pipe and through a temp file.',
  flags: { complaints: { type: 'integer', default: 200_000, help: 'complaints generated' } },
});
// Loaded once the flags are read: --help and a usage error answer without loading the warehouse and DuckDB.
const { Warehouse } = await import('../src/warehouse/db.ts');
const { ensureWarehouse, ingestFile } = await import('../src/ingest/ingest.ts');
const dir = mkdtempSync(join(tmpdir(), 'pledge-bench-ingest-'));

async function toGb18030(src: string, dst: string): Promise<void> {
  const out = createWriteStream(dst);
  const enc = iconv.getEncoder('gb18030');
  for await (const chunk of createReadStream(src, { encoding: 'utf8' })) {
    if (!out.write(enc.write(chunk as string))) await once(out, 'drain');
  }
  out.end(enc.end() ?? undefined);
  await once(out, 'close');
}

async function run(file: string, via: 'fifo' | 'file'): Promise<void> {
  process.env.PLEDGE_INGEST_VIA = via;
  const wh = await Warehouse.open(join(dir, `${via}-${Date.now()}.duckdb`), { timezone: 'Asia/Shanghai' });
  await ensureWarehouse(wh);
  const t0 = process.hrtime.bigint();
  const r = await ingestFile(wh, file);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  wh.close();
  const mb = (statSync(file).size / 1e6).toFixed(1);
  console.log(`${file.split('/').at(-1)} (${mb} MB, ${r.encoding}) via ${r.via}: ${r.rowsLoaded} rows in ${s.toFixed(2)} s = ${Math.round(r.rowsLoaded / s)} rows/s; peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

const demo = await generateDemo({ outDir: join(dir, 'demo'), complaints, splitBy: 'none' });
const utf8 = demo.complaintFiles[0];
const gb = join(dir, 'complaints-gb18030.csv');
await toGb18030(utf8, gb);
for (const file of [utf8, gb]) {
  for (const via of ['fifo', 'file'] as const) await run(file, via);
}
rmSync(dir, { recursive: true, force: true });
