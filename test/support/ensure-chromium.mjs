#!/usr/bin/env node
// pretest: the browser tests need Debian's Chromium and a CJK font (Chinese
// labels render as empty boxes without one). Install them where they are
// missing and we can; otherwise fail with what to run. Browser tests are never
// skipped silently.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const CHROMIUM = process.env.PLEDGE_CHROMIUM ?? '/usr/bin/chromium';
const need = [];
if (!existsSync(CHROMIUM)) need.push('chromium');
if (!hasCjkFont()) need.push('fonts-noto-cjk');

if (need.length === 0) process.exit(0);

const how = `apt-get update && apt-get install -y ${need.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !commandExists('apt-get')) {
  console.error(`pretest: the browser tests need ${need.join(' and ')}. Install with:\n  sudo ${how}\n(or set PLEDGE_CHROMIUM to a Chromium binary)`);
  process.exit(1);
}
console.log(`pretest: installing ${need.join(', ')} for the browser tests (${how})`);
try {
  execSync('apt-get update -qq', { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  execSync(`apt-get install -y -qq ${need.join(' ')}`, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} catch {
  console.error(`pretest: installing failed. Run by hand:\n  ${how}`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`pretest: ${CHROMIUM} is still missing after the install.`);
  process.exit(1);
}

function commandExists(cmd) {
  try { execSync(`command -v ${cmd}`, { stdio: 'ignore' }); return true; } catch { return false; }
}

function hasCjkFont() {
  try {
    return /CJK|WenQuanYi|Source Han/i.test(execSync('fc-list', { encoding: 'utf8' }));
  } catch {
    return existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');
  }
}
