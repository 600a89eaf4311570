#!/usr/bin/env node
// Runs a TypeScript entry point (node bin/run-ts.mjs bench/bench.ts --rows 1000000).
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const [, , entry, ...rest] = process.argv;
process.argv = [process.argv[0], resolve(entry), ...rest];
await import(pathToFileURL(resolve(entry)).href);
