#!/usr/bin/env node
// Pledge's command line. TypeScript sources run through tsx's loader, so there
// is no build step between editing a file and running it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/cli.ts');
process.exitCode = await main(process.argv);
