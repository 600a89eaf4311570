#!/usr/bin/env node
// One Dask task's work: one customer bucket of the lake computed by Pledge itself
// (src/apps/dask.ts buildBucket). engine/pledge_dask.py runs it once per bucket, on a worker.
//   node engine/bucket.mjs --lake DIR --bucket N --policy FILE --as-of INSTANT --out DIR [--queries DIR]
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { values } = parseArgs({ options: {
  lake: { type: 'string' }, bucket: { type: 'string' }, policy: { type: 'string' }, 'as-of': { type: 'string' },
  out: { type: 'string' }, queries: { type: 'string' },
} });
const { buildBucket } = await import('../src/apps/dask.ts');
try {
  await buildBucket({ lake: values.lake, bucket: Number(values.bucket), policy: values.policy, asOf: values['as-of'], out: values.out, queriesDir: values.queries });
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
