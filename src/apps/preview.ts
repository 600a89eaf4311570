// Live preview: the month's dashboard served on localhost, rebuilt when a file
// in queries/, the panels folder or the policy changes, and reloaded in the
// browser. Only what a change touches is recomputed:
//   policy file             → everything (every clock depends on it);
//   staging/intermediate/kpi SQL → that view and every view reading it, then
//                             the panels whose query reads any of them;
//   report SQL              → the panels that run that file;
//   panel YAML              → that panel.
// The session stays open between changes, so an edit costs one panel, not a run.
// A panel whose SQL fails (its report query, or a view it reads that could not be
// rebuilt) shows the error in its own place, in the page's language, with the file,
// line, column and the nearest names; the rest of the page stays as it was. Saving
// the fix recomputes that panel (and what the changed file feeds), nothing more.
import { PledgeError } from '../core/errors.ts';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { applyPolicy, openSession, type Session } from '../models/session.ts';
import { isSplit } from '../models/facts.ts';
import { affectedFiles, createQueryObject, defaultQueriesDir, listQueryFiles, loadCatalogue, sqlReads, VIEW_LAYERS } from '../models/queries.ts';
import { loadQueryFile } from '../models/query-file.ts';
import { loadPanels, type Panel } from '../reports/panels.ts';
import { computePanel, dashboardPage, panelContext, DEFAULT_PANELS_DIR, type PanelOutput, type DashboardOptions } from '../reports/dashboard.ts';
import { escapeHtml, page } from '../reports/html.ts';
import { localize, UI, type Lang } from '../reports/labels.ts';
import { SqlError } from '../models/sql-errors.ts';

export interface PreviewOptions {
  month: string;
  policy: string;
  warehouse: string;
  asOf?: string;
  lang: Lang;
  panels?: string;
  queries?: string;
  port: number;
  host: string;
  /** Listen on an address other machines reach (--allow-remote); otherwise only loopback is accepted. */
  allowRemote?: boolean;
}

/** 127.0.0.0/8, ::1 and localhost: the addresses only this machine reaches. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * The Host header names this server as this machine does: 127.0.0.1, localhost or [::1]
 * with the port. Anything else is a page elsewhere whose name was pointed at 127.0.0.1
 * (DNS rebinding) and must not read the dashboard.
 */
export function isLocalHostHeader(header: string | undefined, port: number): boolean {
  if (!header) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(header.toLowerCase());
}

/**
 * What the last rebuild did: the test and the terminal both read it. `objects` and `panels` are
 * what was recomputed; `errors` the panels showing an error in place; `error` a failure of the
 * whole page (the policy, a panel file that does not load).
 */
export interface Rebuild { version: number; changed: string[]; objects: string[]; panels: string[]; errors: { panel: string; message: string }[]; error?: string }

export interface Preview { url: string; server: Server; session: Session; last(): Rebuild; close(): Promise<void> }

// Reloads the page when the server says the dashboard changed. Allowed by hash
// in the page's Content-Security-Policy, with connect-src 'self' for the events.
const RELOAD = `new EventSource('/events').onmessage = function () { location.reload(); };`;
const RELOAD_HASH = `'sha256-${createHash('sha256').update(RELOAD, 'utf8').digest('base64')}'`;

function withReload(html: string, version: number): string {
  // The last </body>: the inlined libraries may contain the text itself.
  const end = html.lastIndexOf('</body>');
  const withScript = `${html.slice(0, end)}<script>${RELOAD}</script>\n${html.slice(end)}`;
  return withScript
    .replace(/script-src ([^;"]*)/, (_m, list: string) => `script-src ${list.replace("'none'", '').trim()} ${RELOAD_HASH}`.replace(/\s+/g, ' '))
    .replace(/(<meta http-equiv="Content-Security-Policy" content="[^"]*)"/, `$1; connect-src 'self'"`)
    .replace('<head>', `<head>\n<meta name="pledge-preview-version" content="${version}">`);
}

function errorPage(message: string, version: number, lang: Lang): string {
  const title = localize(UI.previewPageError, lang);
  return withReload(page({ title, lang, charts: false, body: `<header><h1>${escapeHtml(title)}</h1></header>
<main><pre id="preview-error" class="preview-error" style="white-space:pre-wrap">${escapeHtml(message)}</pre>
<p>${escapeHtml(localize(UI.previewPageFix, lang))}</p></main>` }), version);
}

/** Where a panel's failure came from: its own query file, or a view it reads. */
interface PanelFailure { error: Error; source: string; view?: string }

/** The panel's place on the page, holding its error instead of its figures. */
function panelErrorHtml(p: Panel, failure: PanelFailure, lang: Lang): string {
  const { error } = failure;
  const d = error instanceof SqlError ? error.detail : undefined;
  const where = d?.line === undefined ? d?.file ?? failure.source
    : localize(UI.previewWhere, lang).replace('{file}', d.file).replace('{line}', String(d.line)).replace('{column}', String(d.column ?? 1));
  const heading = failure.view ? localize(UI.previewViewError, lang).replace('{view}', failure.view) : localize(UI.previewPanelError, lang);
  const reason = d ? `${d.file}${d.line === undefined ? '' : `:${d.line}${d.column === undefined ? '' : `:${d.column}`}`}: ${d.reason}` : error.message;
  const title = p.title === undefined ? '' : `<h2>${escapeHtml(localize(p.title, lang))}</h2>`;
  return `<section class="panel panel-error" id="panel-${p.id}" data-panel="${escapeHtml(p.id)}" data-query="${escapeHtml(p.query)}" data-error="true">
${title}<div class="banner" role="alert"><strong>${escapeHtml(heading)}</strong> <span class="preview-where">${escapeHtml(where)}</span>
<pre class="preview-error" style="white-space:pre-wrap">${escapeHtml(reason)}</pre>
${d?.suggestions.length ? `<p class="preview-did-you-mean">${escapeHtml(localize(UI.previewDidYouMean, lang))}${d.suggestions.map((n) => `<code>${escapeHtml(n)}</code>`).join(', ')}</p>` : ''}
${d?.listing.length ? `<details><summary>${escapeHtml(localize(UI.previewThere, lang))}</summary><pre style="white-space:pre-wrap">${escapeHtml(d.listing.join('\n'))}</pre></details>` : ''}
<p class="note">${escapeHtml(localize(UI.previewFix, lang))}</p></div>
</section>`;
}

function fileHashes(paths: string[]): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const p of paths) {
    try {
      hashes.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
    } catch { /* removed between listing and reading */ }
  }
  return hashes;
}

export async function startPreview(opts: PreviewOptions): Promise<Preview> {
  if (!isLoopback(opts.host)) {
    if (!opts.allowRemote) {
      throw new PledgeError(`--host ${opts.host}: not a loopback address; other machines could read the dashboard. Add --allow-remote to mean it`);
    }
    process.stderr.write(`warning: --allow-remote: the preview listens on ${opts.host}, and anyone who reaches that address can read the dashboard\n`);
  }
  const queriesDir = resolve(opts.queries ?? defaultQueriesDir());
  const panelsDir = resolve(opts.panels ?? DEFAULT_PANELS_DIR);
  const policyPath = resolve(opts.policy);
  const dashboardOpts: DashboardOptions = { month: opts.month, outDir: '', lang: opts.lang, panelsDir, queriesDir };
  const session: Session = await openSession({ warehouse: opts.warehouse, policy: opts.policy, month: opts.month, asOf: opts.asOf, queriesDir });

  const sqlFolders = [...VIEW_LAYERS, 'facts', 'report'].map((l) => join(queriesDir, l));
  const watchedFiles = () => [
    policyPath,
    ...sqlFolders.filter(existsSync).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.sql')).map((f) => join(d, f))),
    ...(existsSync(panelsDir) ? readdirSync(panelsDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(panelsDir, f)) : []),
  ];

  let hashes = fileHashes(watchedFiles());
  let panels: Panel[] = [];
  const outputs = new Map<string, PanelOutput>();
  let html = '';
  let last: Rebuild = { version: 0, changed: [], objects: [], panels: [], errors: [] };
  const clients = new Set<ServerResponse>();
  /** Panels showing an error in place, and why. */
  const failures = new Map<string, PanelFailure>();
  /** Views of queries/ whose file could not be created (the session keeps their previous form): name → error. */
  const viewErrors = new Map<string, Error>();

  /** Which failed view a panel's query reads, if any. */
  async function failedViewRead(p: Panel): Promise<string | undefined> {
    if (!viewErrors.size) return undefined;
    const queryPath = join(queriesDir, p.query);
    const reads = existsSync(queryPath) ? await sqlReads(session.wh, loadQueryFile(queryPath).sql).catch(() => undefined) : undefined;
    return [...viewErrors.keys()].find((v) => !reads || reads.has(v.toLowerCase()));
  }

  /** Recomputes the given panels (all when undefined) and reassembles the page. */
  async function rebuildPanels(ids?: Set<string>): Promise<string[]> {
    // Only the panels the policy shows (a points-scheme panel under a weighted scorecard is not on the page).
    panels = loadPanels(panelsDir, session.policy);
    const ctx = await panelContext(session, dashboardOpts);
    const done: string[] = [];
    for (const id of [...outputs.keys()]) if (!panels.some((p) => p.id === id)) { outputs.delete(id); failures.delete(id); }
    for (const p of panels) {
      if (ids && !ids.has(p.id) && outputs.has(p.id)) continue;
      done.push(p.id);
      failures.delete(p.id);
      const view = await failedViewRead(p);
      if (view) {
        failures.set(p.id, { error: viewErrors.get(view)!, source: view, view });
      } else {
        try {
          outputs.set(p.id, await computePanel(p, ctx));
          continue;
        } catch (e) {
          failures.set(p.id, { error: e as Error, source: join(queriesDir, p.query) });
        }
      }
      outputs.set(p.id, { id: p.id, query: p.query, rows: [], firstScreen: p.first_screen, html: panelErrorHtml(p, failures.get(p.id)!, opts.lang) });
    }
    html = await dashboardPage(session, dashboardOpts, panels.map((p) => outputs.get(p.id)!));
    // The first error on the page is the one a reader (and a test) finds by id.
    html = html.replace('<pre class="preview-error"', '<pre id="preview-error" class="preview-error"');
    return done;
  }

  /** Works out what the changed files touch and recomputes just that. */
  async function apply(changed: string[]): Promise<Pick<Rebuild, 'objects' | 'panels'>> {
    // A split file or queries/facts/ feeds the stored facts: the session computes them again, as for a policy.
    const feedsFacts = changed.some((c) => dirname(c) === join(queriesDir, 'facts') || isSplit(basename(c, '.sql')));
    if (changed.includes(policyPath) || last.error || feedsFacts) {
      // After an error the session may be half-updated: start again from the files.
      await applyPolicy(session, policyPath, queriesDir);
      const objects = listQueryFiles(queriesDir).map((f) => f.name);
      return { objects, panels: await rebuildPanels() };
    }
    const cat = await loadCatalogue(session.wh, queriesDir);
    const viewNames = new Set(changed.filter((c) => VIEW_LAYERS.some((l) => dirname(c) === join(queriesDir, l))).map((c) => basename(c, '.sql')));
    const recreated = affectedFiles(cat, viewNames);
    // A file that fails keeps its previous form in the session; the panels reading it show why.
    for (const f of recreated) {
      try {
        await createQueryObject(session.wh, f);
        viewErrors.delete(f.name);
      } catch (e) {
        viewErrors.set(f.name, e as Error);
      }
    }
    const touched = new Set(recreated.map((f) => f.name));

    const current = loadPanels(panelsDir, session.policy);
    const ids = new Set<string>();
    for (const p of current) {
      const queryPath = join(queriesDir, p.query);
      const failure = failures.get(p.id);
      if (changed.includes(p.file) || changed.includes(resolve(p.file)) || changed.includes(queryPath)) ids.add(p.id);
      // A panel in error because of a view is recomputed once that view is rebuilt.
      else if (failure?.view && touched.has(failure.view)) ids.add(p.id);
      else if (touched.size && existsSync(queryPath)) {
        // A query DuckDB cannot parse may read anything (and shows its error when run).
        const reads = await sqlReads(session.wh, loadQueryFile(queryPath).sql);
        if (!reads || [...touched].some((n) => reads.has(n.toLowerCase()))) ids.add(p.id);
      }
    }
    return { objects: [...touched], panels: await rebuildPanels(ids) };
  }

  const shown = (p: string) => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p));
  let queue: Promise<void> = Promise.resolve();
  function onChange(): void {
    queue = queue.then(async () => {
      const now = fileHashes(watchedFiles());
      const changed = [...new Set([...now.keys(), ...hashes.keys()])].filter((p) => now.get(p) !== hashes.get(p)).sort();
      hashes = now;
      if (!changed.length) return;
      const version = last.version + 1;
      try {
        const done = await apply(changed);
        last = { version, changed: changed.map(shown), ...done, errors: panelErrors() };
      } catch (e) {
        last = { version, changed: changed.map(shown), objects: [], panels: [], errors: [], error: (e as Error).message };
      }
      process.stdout.write(last.error
        ? `preview: ${last.changed.join(', ')} changed: ${last.error}\n`
        : `preview: ${last.changed.join(', ')} changed: recomputed ${last.objects.length} view(s) [${last.objects.join(', ')}], ${last.panels.length} panel(s) [${last.panels.join(', ')}]\n`
          + last.errors.map((x) => `preview: panel ${x.panel}: ${x.message}\n`).join(''));
      for (const c of clients) c.write(`data: ${version}\n\n`);
    });
  }

  // For the terminal and /status: where and why, and the nearest names; not the whole listing of what is there.
  const short = (m: string) => m.split('\n').filter((l, i) => i === 0 || l.startsWith('  did you mean')).join('\n');
  const panelErrors = () => [...failures].map(([panel, f]) => ({ panel, message: short(f.error.message) }));

  await rebuildPanels();
  last = { ...last, errors: panelErrors() };

  let timer: NodeJS.Timeout | undefined;
  const schedule = () => { clearTimeout(timer); timer = setTimeout(onChange, 120); };
  const watchers: FSWatcher[] = [...sqlFolders, panelsDir, dirname(policyPath)]
    .filter((d, i, all) => existsSync(d) && all.indexOf(d) === i)
    .map((d) => watch(d, schedule));

  let port = 0;
  const server = createServer((req, res) => {
    if (!opts.allowRemote && !isLocalHostHeader(req.headers.host, port)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end(`misdirected request: this preview answers only Host 127.0.0.1:${port}, localhost:${port} or [::1]:${port}\n`);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (path === '/status') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(last));
      return;
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(last.error ? errorPage(last.error, last.version, opts.lang) : withReload(html, last.version));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });

  port = await listen(server, opts.port, opts.host);
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/`;
  return {
    url, server, session,
    last: () => last,
    close: async () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      for (const c of clients) c.end();
      await new Promise<void>((r) => server.close(() => r()));
      await queue;
      session.close();
    },
  };
}

/** Listens on the port; a busy default port falls back to one the system picks. */
async function listen(server: Server, port: number, host: string): Promise<number> {
  const attempt = (p: number) => new Promise<number>((ok, fail) => {
    server.once('error', fail);
    server.listen(p, host, () => {
      server.off('error', fail);
      ok((server.address() as { port: number }).port);
    });
  });
  try {
    return await attempt(port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw e;
    process.stderr.write(`warning: port ${port} is in use; using a free port instead\n`);
    return attempt(0);
  }
}
