// Finding one's way on a long page: a contents bar of the page's sections (their anchors and
// headings) and, on the dashboard, department and team filters. The filters are a few lines
// of plain script embedded in the page and allowed by its hash in the page's CSP (html.ts
// page({ scripts })), like the chart boot: offline, no 'unsafe-inline' for scripts. They hide
// table rows by their data-filter-department / data-filter-team (panels: filter:).
import type { Row } from '../warehouse/db.ts';
import { escapeHtml } from './html.ts';
import { type Lang, localize, UI } from './labels.ts';

/** The sections of the page from their HTML: every <section id="…"> with an <h2>. */
export function sectionsOf(htmls: string[]): { id: string; title: string }[] {
  const out: { id: string; title: string }[] = [];
  for (const html of htmls) {
    const m = /<section[^>]*\sid="([^"]+)"[^>]*>\s*<h2>([\s\S]*?)<\/h2>/.exec(html);
    // The heading is already escaped HTML text; its tags (none today) are dropped.
    if (m) out.push({ id: m[1], title: m[2].replace(/<[^>]*>/g, '') });
  }
  return out;
}

/** The bar: filters (when units are given) then a link per section. */
export function contentsBar(htmls: string[], lang: Lang, units?: Row[]): string {
  const links = sectionsOf(htmls).map((s) => `<a href="#${escapeHtml(s.id)}">${s.title}</a>`);
  let filters = '';
  if (units?.length) {
    const departments = [...new Set(units.map((u) => String(u.department ?? '')).filter(Boolean))];
    const teams = units.filter((u) => u.team !== null && u.team !== undefined);
    const all = escapeHtml(localize(UI.filterAll, lang));
    filters = `<label>${escapeHtml(localize(UI.filterDepartment, lang))} <select data-filter="department"><option value="">${all}</option>`
      + departments.map((d) => `<option value="${escapeHtml(d)}">${escapeHtml(d)}</option>`).join('') + '</select></label>'
      + `<label>${escapeHtml(localize(UI.filterTeam, lang))} <select data-filter="team"><option value="">${all}</option>`
      + teams.map((t) => `<option value="${escapeHtml(t.team)}" data-department="${escapeHtml(t.department ?? '')}">${escapeHtml(t.team)}</option>`).join('') + '</select></label>'
      + '<span class="filter-count" data-filter-hidden="0"></span>';
  }
  return `<nav class="contents" aria-label="${escapeHtml(localize(UI.contents, lang))}">${filters}<b>${escapeHtml(localize(UI.contents, lang))}</b>${links.join('')}</nav>`;
}

// A team chosen sets its department; a department chosen leaves only its teams to choose.
// A row is shown when its department (and team, when it has one) matches; the organisation's
// row (an empty department) is always shown.
export const FILTER_SCRIPT = `
(function () {
  var dep = document.querySelector('select[data-filter="department"]');
  var team = document.querySelector('select[data-filter="team"]');
  if (!dep || !team) return;
  function apply() {
    var d = dep.value, t = team.value, hidden = 0;
    if (t) { var o = team.options[team.selectedIndex]; d = o.getAttribute('data-department') || d; dep.value = d; }
    for (var i = 0; i < team.options.length; i++) {
      var od = team.options[i].getAttribute('data-department');
      team.options[i].hidden = !!(d && od && od !== d);
    }
    document.querySelectorAll('tr[data-filter-department]').forEach(function (tr) {
      var rd = tr.getAttribute('data-filter-department'), rt = tr.getAttribute('data-filter-team');
      var show = !rd || ((!d || rd === d) && (!t || rt === null || rt === '' || rt === t));
      tr.hidden = !show;
      if (!show) hidden++;
    });
    var c = document.querySelector('[data-filter-hidden]');
    if (c) c.setAttribute('data-filter-hidden', String(hidden));
  }
  dep.addEventListener('change', function () { team.value = ''; apply(); });
  team.addEventListener('change', apply);
})();`;
