#!/usr/bin/env node
// pretest: the Dask engine's test (test/apps/dask-engine.test.ts) needs Debian's Dask
// distributed (python3-distributed, python3-dask) under Debian's Python, /usr/bin/python3
// (PLEDGE_PYTHON, as src/apps/dask.ts reads it). Install them where they are missing and we
// can; otherwise fail with what to run. The test is never skipped silently.
import { execFileSync, execSync } from 'node:child_process';

const PYTHON = process.env.PLEDGE_PYTHON ?? '/usr/bin/python3';
const PACKAGES = 'python3-distributed python3-dask';
const has = () => {
  try { execFileSync(PYTHON, ['-c', 'import dask.distributed'], { stdio: 'ignore' }); return true; } catch { return false; }
};
if (has()) process.exit(0);

const how = `apt-get update && apt-get install -y ${PACKAGES}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`pretest: the Dask engine test needs Debian's Dask under ${PYTHON}. Install with:\n  sudo ${how}\n(or set PLEDGE_PYTHON to a Python that has dask.distributed)`);
  process.exit(1);
}
console.log(`pretest: installing ${PACKAGES} for the Dask engine test (${how})`);
try {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync('apt-get update -qq', { stdio: 'inherit', env });
  execSync(`apt-get install -y -qq ${PACKAGES}`, { stdio: 'inherit', env });
} catch {
  console.error(`pretest: installing failed. Run by hand:\n  ${how}`);
  process.exit(1);
}
if (!has()) {
  console.error(`pretest: ${PYTHON} still cannot import dask.distributed after the install.`);
  process.exit(1);
}
