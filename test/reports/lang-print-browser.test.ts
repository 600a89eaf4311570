// One language per page and print that reads, as a reader sees them in Chromium
// (offline, network blocked), on one small seeded demo (3,000 complaints):
//   - the Chinese compare page names KPIs by their Chinese names only, shows a
//     policy that helps as an improvement and links back to the dashboard;
//   - channels, data-quality codes and the policy's lines appear in words and values,
//     and a changed policy value changes the page;
//   - the assessment pack in --lang zh and en;
//   - the printed PDFs carry a running header and page numbers and no link text
//     (their text read from the PDF's own streams: test/support/pdf-text.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { pledgeJson, pledgeOk, ROOT, tempDir } from '../support/cli.ts';
import { launch, openReport } from '../support/browser.ts';
import { pdfPageTexts } from '../support/pdf-text.ts';
import { writePdfs, A4_CONTENT_WIDTH } from '../../src/reports/pdf.ts';
import { KPI_CATALOGUE } from '../../src/warehouse/kpi-catalogue.ts';
import { parsePolicy } from '../../src/warehouse/policy.ts';

const dir = tempDir('pledge-lang-print-');
const w = join(dir, 'w.duckdb');
const policy = join(ROOT, 'data', 'policy.yaml');
const proposed = join(dir, 'proposed.yaml');
const zhDir = join(dir, 'zh', '2025-10');
const enDir = join(dir, 'en', '2025-10');
const packZh = join(dir, 'pack-zh');
const packEn = join(dir, 'pack-en');
let browser: Browser;

// The proposed policy: registration within 48 h instead of 24 h (more complaints registered in time),
// and other lines for the descriptions: parity gap 8 points (was 5), at risk past 60% (was 75%),
// the fast first response within 2 hours (was 1 hour).
function writeProposed(): void {
  const text = readFileSync(policy, 'utf8');
  const changed = text
    .replace('      - { limit: 24h }', '      - { limit: 48h }')
    .replace(/gap_threshold: 0\.05/, 'gap_threshold: 0.08')
    .replace(/share: 0\.75/, 'share: 0.6')
    .replace(/fast_first_response: 1 hour/, 'fast_first_response: 2 hours');
  for (const s of ['limit: 48h', 'gap_threshold: 0.08', 'share: 0.6', 'fast_first_response: 2 hours']) expect(changed).toContain(s);
  writeFileSync(proposed, changed);
}

beforeAll(async () => {
  pledgeOk(['demo', '--complaints', '3000', '--dir', join(dir, 'exports'), '--warehouse', w, '--out', join(dir, 'demo-out')]);
  writeProposed();
  pledgeOk(['run', '--month', '2025-10', '--warehouse', w, '--policy', policy, '--out', join(dir, 'zh'), '--compare-policy', proposed]);
  pledgeOk(['run', '--month', '2025-10', '--warehouse', w, '--policy', proposed, '--out', join(dir, 'en'), '--lang', 'en']);
  pledgeOk(['assess', '--quarter', '2025Q3', '--warehouse', w, '--out', packZh]);
  pledgeOk(['assess', '--quarter', '2025Q3', '--warehouse', w, '--out', packEn, '--lang', 'en']);
  browser = await launch();
}, 900_000);   // five CLI runs on a 2-core machine shared with others

afterAll(async () => {
  await browser?.close();
});

const visibleText = async (file: string, selector = 'body') => {
  const p = await openReport(browser, file, { width: 1366, height: 900 });
  try {
    expect(p.consoleErrors).toEqual([]);
    expect(p.blockedRequests).toEqual([]);
    return await p.page.$eval(selector, (el) => (el as HTMLElement).innerText);
  } finally {
    await p.page.context().close();
  }
};

describe('the compare page in Chinese', () => {
  const page = join(zhDir, 'compare-proposed.html');

  it('names no KPI by its key or its English name', async () => {
    const text = await visibleText(page);
    // No catalogue key: neither a commitment's KPI (timeliness:register) nor a headline key (resolution_rate).
    expect(text).not.toMatch(/timeliness:[a-z_]+/);
    for (const k of KPI_CATALOGUE) expect(text).not.toContain(k.key);
    // No English catalogue label, nor a commitment's English label (data/policy.yaml).
    const names = [...KPI_CATALOGUE.map((k) => k.label.en), ...Object.values(parsePolicy(readFileSync(policy, 'utf8'), policy).commitments).map((c) => c.label!)];
    for (const n of names) expect(text).not.toContain(n);
    expect(text).toContain('24小时内登记及时率');
    expect(text).toContain('返回月度看板');
  });

  it('shows the longer registration limit as an improvement in points, green', async () => {
    // Independently of the what-if: registration timeliness from the two dashboards, each run under one policy.
    const tile = (file: string) => Number(/<div class="tile [a-z]+" data-kpi="timeliness:register" data-actual="([^"]+)"/.exec(readFileSync(file, 'utf8'))![1]);
    const before = tile(join(zhDir, 'index.html'));
    const after = tile(join(enDir, 'index.html'));
    expect(after).toBeGreaterThan(before);
    const html = readFileSync(page, 'utf8');
    const row = /<tr data-kpi="timeliness:register" data-department="" data-change="([a-z]+)">[\s\S]*?<td class="num( green| red)?" data-value="([^"]*)">([^<]*)<\/td><\/tr>/.exec(html)!;
    expect(row[1]).toBe('better');
    expect(row[2]).toBe(' green');
    expect(Number(row[3])).toBeCloseTo(after - before, 12);
    expect(row[4]).toBe(`+${((after - before) * 100).toFixed(1)}个百分点`);
  });

  it('links back to the month\'s dashboard, which links to it', async () => {
    const p = await openReport(browser, page);
    try {
      await p.page.click('a[data-back="dashboard"]');
      await p.page.waitForLoadState();
      expect(p.page.url()).toMatch(/\/zh\/2025-10\/index\.html$/);
      const href = await p.page.$eval('a[data-compare-page]', (a) => a.getAttribute('href'));
      expect(href).toBe('compare-proposed.html');
      expect(existsSync(join(zhDir, href!))).toBe(true);
    } finally {
      await p.page.context().close();
    }
  });
});

describe('codes and config keys in words and values', () => {
  it('names channels in the page\'s language (the fast-first-response chart\'s axis)', async () => {
    const labels = async (file: string) => {
      const p = await openReport(browser, file, { width: 1366, height: 900 });
      try {
        return await p.page.$$eval('#panel-35-fast-first-response svg .role-axis-label text', (ts) => ts.map((t) => t.textContent));
      } finally { await p.page.context().close(); }
    };
    const zh = await labels(join(zhDir, 'index.html'));
    const en = await labels(join(enDir, 'index.html'));
    // The demo's eight channels (src/generate), named by src/reports/labels.ts.
    for (const c of ['电话', 'App', '在线客服', '营业厅', '信函']) expect(zh).toContain(c);
    for (const c of ['Phone', 'App', 'Online chat', 'Service counter', 'Letter']) expect(en).toContain(c);
    for (const code of ['phone', 'online_chat', 'social_media', 'counter']) {
      expect(zh).not.toContain(code);
      expect(en).not.toContain(code);
    }
  });

  it('states the policy\'s lines, and a changed policy changes them', async () => {
    const zh = await visibleText(join(zhDir, 'index.html'));
    const en = await visibleText(join(enDir, 'index.html'));
    for (const key of ['parameters.fast_first_response', 'parity.gap_threshold', 'at_risk.share']) {
      expect(zh).not.toContain(key);
      expect(en).not.toContain(key);
    }
    // data/policy.yaml: 1 hour, 75%, 0.05; the proposed policy: 2 hours, 60%, 0.08.
    expect(zh).toContain('在1小时内首次响应的占比');
    expect(zh).toContain('已用去规定时限 75.0% 以上的承诺');
    expect(zh).toContain('差距超过 5.0个百分点 的标红');
    expect(en).toContain('the share first answered within 2 hours');
    expect(en).toContain('past 60.0% of their allowed time');
    expect(en).toContain('Gaps larger than 8.0 pp are red');
  });

  it('names data-quality sources and findings in words', async () => {
    const rows = pledgeJson<{ source: string; finding: string }>(['query', '--warehouse', w, '--policy', policy, '--month', '2025-10', '--file', 'queries/report/data_quality.sql']);
    const text = await visibleText(join(zhDir, 'index.html'), '#panel-92-data-quality');
    // Every flow-log finding is a code (queries/kpi/event_findings.sql): none shows as one.
    for (const r of rows.filter((r) => r.source === 'event_findings')) expect(text).not.toContain(r.finding);
    expect(text).not.toContain('event_findings');
    if (rows.some((r) => r.source === 'event_findings')) expect(text).toContain('工单流转记录');
  });

  it('writes the zh trend\'s months in Chinese, and draws English axis labels whole', async () => {
    const zh = await openReport(browser, join(zhDir, 'index.html'), { width: 1366, height: 900 });
    const en = await openReport(browser, join(enDir, 'index.html'), { width: 1366, height: 900 });
    try {
      const months = await zh.page.$$eval('#panel-20-trend svg .role-axis-label text', (ts) => ts.map((t) => t.textContent ?? ''));
      const dates = months.filter((m) => /\d{4}/.test(m));
      expect(dates.length).toBeGreaterThan(0);
      for (const m of dates) expect(m).toMatch(/^\d{4}年\d{1,2}月$/);
      // Vega cuts a label longer than its labelLimit with "…".
      const cut = await en.page.$$eval('svg text', (ts) => ts.map((t) => t.textContent ?? '').filter((t) => t.endsWith('…')));
      expect(cut).toEqual([]);
      const commitments = await en.page.$$eval('#panel-30-commitments svg .role-axis-label text', (ts) => ts.map((t) => t.textContent));
      expect(commitments).toContain('Major complaints escalated to the responsible leader');
    } finally {
      await zh.page.context().close();
      await en.page.context().close();
    }
  });
});

describe('the assessment pack in --lang zh and en', () => {
  it('writes its headings in the language asked for, Chinese by default', async () => {
    const zh = await visibleText(join(packZh, 'index.html'));
    const en = await visibleText(join(packEn, 'index.html'));
    expect(zh).toContain('季度第三方评估 · 2025Q3');
    expect(zh).toContain('指标与目标');
    expect(zh).toContain('抽查样本');
    expect(zh).toContain('数据对账');
    expect(en).toContain('Quarterly assessment · 2025Q3');
    expect(en).toContain('KPIs against target');
    expect(en).toContain('Spot-check sample');
    // The methodology in the pack's language, written from data/policy.yaml: register within 1 h when urgent, else 24 h;
    // reopenings within 30 days do not count as resolved.
    expect(zh).toContain('评估方法');
    expect(zh).not.toContain('Methodology');
    expect(zh).toContain('级别为紧急：1小时内；其他：24小时内');
    expect(zh).toContain('办结后30天内重办的投诉不算已解决');
    expect(en).toContain('severity urgent: within 1 hour; otherwise: within 24 hours');
    const kpiZh = await visibleText(join(packZh, 'index.html'), '#kpis');
    for (const k of KPI_CATALOGUE) expect(kpiZh).not.toContain(k.label.en);
    expect(readFileSync(join(packZh, 'index.html'), 'utf8')).toContain('<html lang="zh-CN">');
    expect(JSON.parse(readFileSync(join(packZh, 'manifest.json'), 'utf8')).lang).toBe('zh');
    expect(JSON.parse(readFileSync(join(packEn, 'manifest.json'), 'utf8')).lang).toBe('en');
  });

  it('keeps dates and Chinese labels whole, fits the sample table to the screen, titles the chart\'s axis', async () => {
    const p = await openReport(browser, join(packZh, 'index.html'), { width: 1366, height: 900 });
    try {
      const layout = await p.page.evaluate(() => {
        const lines = (el: Element) => {
          const r = document.createRange();
          r.selectNodeContents(el);
          // one rectangle per line the text takes
          return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
        };
        return {
          periods: [...document.querySelectorAll('#department-table td.period')].map(lines),
          heads: [...document.querySelectorAll('#department-table thead th, #sample-table thead th')].map((th) => [th.textContent, lines(th)]),
          sample: (() => { const t = document.querySelector('#sample-table')!; return [t.scrollWidth, t.parentElement!.clientWidth]; })(),
          axis: [...document.querySelectorAll('[data-vl-spec="spec-trend"] svg .role-axis-title text')].map((t) => t.textContent),
          caption: document.querySelector('#kpis .chart + script + p.note')?.textContent,
        };
      });
      expect(layout.periods.length).toBeGreaterThan(0);
      expect(layout.periods.every((n) => n === 1)).toBe(true);
      expect(layout.heads.filter(([, n]) => n !== 1)).toEqual([]);
      expect(layout.sample[0]).toBeLessThanOrEqual(layout.sample[1]);
      expect(layout.axis).toContain('实际值');
      expect(layout.caption).toBe('实线：每月实际值；虚线：目标。');
      // The target is drawn as a line (what the caption says), not as ticks.
      const spec = JSON.parse(await p.page.$eval('#spec-trend', (s) => s.textContent ?? ''));
      expect(spec.layer.map((l: { mark: { type: string; strokeDash?: number[] } }) => [l.mark.type, Boolean(l.mark.strokeDash)])).toEqual([['line', false], ['line', true]]);
    } finally {
      await p.page.context().close();
    }
    const en = await openReport(browser, join(packEn, 'index.html'));
    try {
      expect(await en.page.$$eval('[data-vl-spec="spec-trend"] svg .role-axis-title text', (ts) => ts.map((t) => t.textContent))).toContain('Actual rate');
    } finally {
      await en.page.context().close();
    }
  });
});

describe('printing', () => {
  // Chromium's PDFs map some CJK glyphs to Kangxi radicals (⽉ for 月): NFKC folds them back.
  // NFKC also makes the full-width comma of "第 1 页，共 5 页" a plain one.
  const pageOf = (n: number, of: number) => new RegExp(`第${n}\\S,共${of}\\S`);
  const textsOf = (pdf: string) => pdfPageTexts(readFileSync(pdf)).map((t) => t.normalize('NFKC').replace(/\s+/g, ''));

  it('draws every chart at the A4 column\'s width, its text unscaled', async () => {
    const p = await openReport(browser, join(zhDir, 'index.html'));
    try {
      await p.page.emulateMedia({ media: 'print' });
      await p.page.setViewportSize({ width: A4_CONTENT_WIDTH, height: 1100 });
      await p.page.evaluate(() => (window as unknown as { pledgeFitCharts: () => Promise<unknown> }).pledgeFitCharts());
      const charts = await p.page.$$eval('[data-vl-spec]', (els) => els.map((el) => ({
        id: el.getAttribute('data-vl-spec'), error: el.getAttribute('data-render-error'), box: el.clientWidth, drawn: el.querySelector('svg')!.width.baseVal.value,
      })));
      expect(charts.length).toBeGreaterThan(5);
      for (const c of charts) {
        expect(c.error).toBeNull();
        // Drawn at most as wide as its column (+1 px rounding): shown at 100%, so 10 px chart text is 7.5 pt on paper.
        expect(c.drawn, c.id!).toBeLessThanOrEqual(c.box + 1);
      }
    } finally {
      await p.page.context().close();
    }
  });

  it('prints the dashboard, a team page and the compare page with a running header, page numbers and no link text', async () => {
    const team = readdirSync(join(zhDir, 'team')).find((f) => f.endsWith('.html'))!;
    const pdfs = await writePdfs([join(zhDir, 'index.html'), join(zhDir, 'team', team), join(zhDir, 'compare-proposed.html'), join(enDir, 'index.html')]);
    for (const [i, pdf] of pdfs.entries()) {
      const pages = textsOf(pdf);
      const en = i === 3;
      expect(pages.length).toBeGreaterThan(0);
      pages.forEach((t, n) => {
        // "第 N 页，共 M 页" / "Page N of M", N the page's own number, M the PDF's page count.
        if (en) expect(t).toContain(`Page${n + 1}of${pages.length}`);
        else expect(t).toMatch(pageOf(n + 1, pages.length));
        // The running header: month, as-of and policy on every page.
        expect(t).toContain('2025-10');
        expect(t).toContain(en ? 'asof2025-11-0100:00' : '数据截至2025-11-0100:00');
      });
      const all = pages.join('');
      for (const link of ['返回月度看板', '完整清单', 'Backtothemonthlydashboard', 'Fulllist(CSV)', '考核规则模拟:proposed.yaml']) expect(all).not.toContain(link);
    }
    // The PDFs hold the dashboard's own words (not an empty print).
    expect(textsOf(pdfs[0]).join('')).toContain('投诉处理承诺月度看板');
    expect(textsOf(pdfs[1]).join('')).toContain('绩效考核');
  });

  it('prints the assessment pack the same way', async () => {
    const copy = join(dir, 'pack-print');
    mkdirSync(copy, { recursive: true });
    copyFileSync(join(packZh, 'index.html'), join(copy, 'index.html'));   // the PDF beside a copy: the pack stays as its manifest lists it
    const [pdf] = await writePdfs([join(copy, 'index.html')]);
    const pages = textsOf(pdf);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((t, n) => {
      expect(t).toMatch(pageOf(n + 1, pages.length));
      expect(t).toContain('季度第三方评估·2025Q3');
      expect(t).toContain('数据截至2025-10-0100:00');
    });
  });
});
