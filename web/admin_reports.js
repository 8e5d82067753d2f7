// Admin: the first-contact SLA report per sales person (docs/api-workflow.md "SLA report") over a
// period of business days, and the scheduled jobs with their latest runs (docs/api-scoring-jobs.md
// "Jobs").
//
// The SLA form's days are both included: the UI asks the API for [from, the day after `to`).
import { get, post } from './api.js';
import { h, field, onSubmit, showError, formatTime, failure } from './dom.js';
import { duration, rowAction } from './admin_common.js';

// '2026-03-31' -> '2026-04-01'; anything else is passed on as it is (the API names it).
function dayAfter(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!m) return day;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1)).toISOString().slice(0, 10);
}

// The business day (YYYY-MM-DD) of an instant in the API's time zone.
function dayIn(iso, timeZone, shiftMs = 0) {
  const d = new Date(new Date(iso).getTime() + shiftMs);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const SLA_COLUMNS = [
  ['entered', 'Entered CRM'],
  ['firstContactWithinSla', 'Contacted in time'],
  ['firstContactLate', 'Contacted late'],
  ['openPastSla', 'Not contacted, overdue'],
  ['pending', 'Not contacted, still in time'],
];

// Share of the first contacts that were due (in time + late + overdue) made in time.
function metShare(r) {
  const due = r.firstContactWithinSla + r.firstContactLate + r.openPastSla;
  return due ? `${Math.round((100 * r.firstContactWithinSla) / due)}%` : '—';
}

// A row of the report; `total` for the total row (its salesPerson is null).
function slaRow(r, total = false) {
  const cell = (text, cls) => h('td', { class: cls }, text);
  return h('tr', { 'data-person': total ? 'Total' : (r.salesPerson?.name ?? 'Nobody yet') },
    h('td', {}, total ? 'Total' : (r.salesPerson?.name ?? 'Nobody yet')),
    SLA_COLUMNS.map(([key]) => cell(String(r[key]), 'num')),
    cell(metShare(r), 'num'),
    cell(duration(r.medianTimeToFirstContactSeconds), 'num'));
}

export async function slaView(main, { params, navigate, rerender }) {
  main.append(h('h1', {}, 'First-contact SLA'),
    h('p', { class: 'muted' }, 'Per sales person, the opportunities that entered the CRM phase in the period, and whether their first contact was made within the SLA of their entry.'));
  const from = h('input', { name: 'from', type: 'date', value: params.get('from') ?? '' });
  const to = h('input', { name: 'to', type: 'date', value: params.get('to') ?? '' });
  const form = h('form', { class: 'filters', 'aria-label': 'Report period', novalidate: true },
    field('From', from), field('To', to, 'both days included'), h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Show')));
  onSubmit(form, async (data) => {
    const next = { from: data.get('from'), to: data.get('to') };
    if (next.from === (params.get('from') ?? '') && next.to === (params.get('to') ?? '')) rerender();
    else navigate('/admin/sla', next);
  });
  const result = h('section', { 'aria-label': 'Report' }, h('p', { class: 'muted' }, 'Loading…'));
  main.append(form, result);

  let report;
  try {
    report = await get('/reports/sla', { from: params.get('from'), to: params.get('to') ? dayAfter(params.get('to')) : null });
  } catch (err) {
    if (err.fieldErrors?.length) {
      showError(form, err);
      result.replaceChildren();
    } else {
      result.replaceChildren(failure(err));
    }
    return;
  }
  const tz = report.timezone;
  if (!from.value) from.value = dayIn(report.from, tz);
  if (!to.value) to.value = dayIn(report.to, tz, -1);
  const hours = report.firstContactSlaHours;
  result.replaceChildren(
    h('p', { 'data-testid': 'sla-period' },
      `Entered CRM from ${dayIn(report.from, tz)} to ${dayIn(report.to, tz, -1)} (${tz}); SLA: first contact within ${hours} h; as of ${formatTime(report.asOf)}.`),
    report.rows.length === 0 ? h('p', { class: 'empty' }, 'No opportunity entered the CRM phase in this period.')
      : h('table', { class: 'list', 'aria-label': 'First-contact SLA' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Sales person'),
          [...SLA_COLUMNS.map(([, label]) => label), 'SLA met', 'Median time to first contact'].map((t) => h('th', { class: 'num' }, t)))),
        h('tbody', {}, report.rows.map((r) => slaRow(r))),
        h('tfoot', {}, slaRow(report.total, true))),
    h('p', { class: 'muted' }, `"SLA met" is the share made in time of the first contacts that were due (in time, late, or overdue); "still in time" ones are less than ${hours} h old.`));
}

// {"sessions": 0, "skipped": "…"} -> "sessions 0 · skipped: …"
function countsText(counts) {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return '—';
  return entries.map(([k, v]) => (typeof v === 'number' ? `${k} ${v}` : `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)).join(' · ');
}

function took(run) {
  if (!run.finishedAt) return '…';
  const ms = new Date(run.finishedAt) - new Date(run.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const outcome = (run, testid = 'outcome') => h('span', { class: `outcome-${run.outcome}`, 'data-testid': testid }, run.outcome);

export async function jobsView(main) {
  main.replaceChildren();
  main.append(h('h1', {}, 'Jobs'),
    h('p', { class: 'muted' }, 'The periodic jobs of leadproc serve, with their latest runs (newest first). A run that failed shows its error. "Run now" runs one at once, beside its schedule.'));
  let jobs;
  try {
    jobs = (await get('/jobs')).items;
  } catch (err) {
    main.append(failure(err));
    return;
  }
  const schedule = (s) => (s.kind === 'daily' ? `${s.text} (${s.timeZone})` : s.text);
  main.append(h('table', { class: 'list', 'aria-label': 'Jobs' },
    h('thead', {}, h('tr', {}, ['Job', 'Schedule', 'Last run', 'Outcome', 'Counts', 'Latest runs', ''].map((t) => h('th', {}, t)))),
    h('tbody', {}, jobs.map((job) => {
      const last = job.runs[0];
      return h('tr', { 'data-job': job.name },
        h('td', {}, job.name),
        h('td', {}, schedule(job.schedule)),
        h('td', {}, last ? formatTime(last.startedAt) : h('span', { class: 'muted' }, 'not run yet')),
        h('td', {}, last ? [outcome(last, 'last-outcome'), last.error && h('div', { class: 'run-error' }, last.error)] : '—'),
        h('td', {}, last ? countsText(last.counts) : '—'),
        h('td', {}, job.runs.length === 0 ? '—' : h('details', {},
          h('summary', {}, `${job.runs.length} run${job.runs.length === 1 ? '' : 's'}`),
          h('table', { class: 'list', 'aria-label': `Runs of ${job.name}` },
            h('thead', {}, h('tr', {}, ['Slot', 'Started', 'Took', 'Instance', 'Outcome', 'Counts / error'].map((t) => h('th', {}, t)))),
            h('tbody', {}, job.runs.map((run) => h('tr', {},
              h('td', {}, formatTime(run.slot)), h('td', {}, formatTime(run.startedAt)), h('td', {}, took(run)),
              h('td', {}, run.instance), h('td', {}, outcome(run)),
              h('td', {}, run.error ? h('span', { class: 'run-error' }, run.error) : countsText(run.counts)))))))),
        // The run is recorded whatever its outcome; the list is then read again to show it.
        h('td', {}, rowAction('Run now', async () => {
          await post(`/jobs/${encodeURIComponent(job.name)}/run`, {});
          await jobsView(main);
        })));
    }))));
}
