// Admin: the first-contact SLA report per sales person (docs/api-workflow.md "SLA report") over a
// period of business days, and the scheduled jobs with their latest runs (docs/api-scoring-jobs.md
// "Jobs").
//
// The SLA form's days are both included: the UI asks the API for [from, the day after `to`).
import { html, useState, useLayoutEffect } from './ui.js';
import { get, post } from './api.js';
import { formatTime, problemMessage, dayAfter, dayIn } from './format.js';
import { Failure } from './components.js';
import { FormField, ShowFieldErrors, RowAction } from './forms.js';
import { useLoad, ExportLink } from './worklist.js';
import { duration } from './admin_common.js';

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
function SlaRow({ r, total = false }) {
  const name = total ? 'Total' : (r.salesPerson?.name ?? 'Nobody yet');
  return html`<tr data-person=${name}>
    <td>${name}</td>
    ${SLA_COLUMNS.map(([key]) => html`<td class="num">${String(r[key])}</td>`)}
    <td class="num">${metShare(r)}</td>
    <td class="num">${duration(r.medianTimeToFirstContactSeconds)}</td>
  </tr>`;
}

export function SlaReport({ params, navigate, rerender }) {
  const period = { from: params.get('from'), to: params.get('to') ? dayAfter(params.get('to')) : null };
  const [report, error] = useLoad(() => get('/reports/sla', period));
  const submit = (event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = { from: data.get('from'), to: data.get('to') };
    if (next.from === (params.get('from') ?? '') && next.to === (params.get('to') ?? '')) rerender();
    else navigate('/admin/sla', next);
  };
  const tz = report?.timezone;
  const fieldErrors = error?.fieldErrors?.length ? error.fieldErrors : null;
  let result = html`<p class="muted">Loading…</p>`;
  if (error) result = fieldErrors ? null : html`<${Failure} error=${error} />`;
  else if (report) {
    const hours = report.firstContactSlaHours;
    result = html`<p data-testid="sla-period">Entered CRM from ${dayIn(report.from, tz)} to ${dayIn(report.to, tz, -1)} (${tz}); SLA: first contact within ${hours} h; as of ${formatTime(report.asOf)}.</p>
      ${report.rows.length === 0 ? html`<p class="empty">No opportunity entered the CRM phase in this period.</p>`
        : html`<table class="list" aria-label="First-contact SLA">
          <thead><tr><th>Sales person</th>${[...SLA_COLUMNS.map(([, text]) => text), 'SLA met', 'Median time to first contact'].map((t) => html`<th class="num">${t}</th>`)}</tr></thead>
          <tbody>${report.rows.map((r) => html`<${SlaRow} r=${r} />`)}</tbody>
          <tfoot><${SlaRow} r=${report.total} total /></tfoot>
        </table>`}
      <p class="muted">"SLA met" is the share made in time of the first contacts that were due (in time, late, or overdue); "still in time" ones are less than ${hours} h old.</p>
      ${report.byPolicy.length > 0 && html`<h2>Breaches by escalation policy</h2>
        <div class="table-wrap"><table class="list" aria-label="Breaches by policy">
          <thead><tr>${['Policy', 'Owners warned', 'Breached (acted on)', 'Waited for someone'].map((t, i) => html`<th class=${i ? 'num' : null}>${t}</th>`)}</tr></thead>
          <tbody>${report.byPolicy.map((p) => html`<tr data-policy=${p.policyId}>
            <td>${p.process} ${p.stage} after ${p.afterMinutes} working min (${p.action})</td>
            <td class="num">${String(p.warned)}</td><td class="num">${String(p.breached)}</td><td class="num">${String(p.waiting)}</td>
          </tr>`)}</tbody>
        </table></div>
        <p class="muted">Each escalation policy's steps in the period, counted when taken (<a href="#/admin/sla-policies">escalation policies</a>).</p>`}`;
  }
  return html`<h1>First-contact SLA</h1>
    <p class="muted">Per sales person, the opportunities that entered the CRM phase in the period, and whether their first contact was made within the SLA of their entry.</p>
    <form class="filters" aria-label="Report period" novalidate onSubmit=${submit}>
      ${fieldErrors && html`<div class="alert" role="alert">${problemMessage(error)}</div>`}
      <${ShowFieldErrors} errors=${fieldErrors}>
        <${FormField} label="From" id="sla-from" name="from">
          <input id="sla-from" name="from" type="date" defaultValue=${params.get('from') || (report ? dayIn(report.from, tz) : '')} /><//>
        <${FormField} label="To" id="sla-to" name="to" hint="both days included">
          <input id="sla-to" name="to" type="date" defaultValue=${params.get('to') || (report ? dayIn(report.to, tz, -1) : '')} /><//>
      <//>
      <div class="field"><button type="submit">Show</button></div>
      <div class="field"><${ExportLink} path="/exports/sla.csv" query=${period} /></div>
    </form>
    <section aria-label="Report">${result}</section>`;
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

function Outcome({ run, testid = 'outcome' }) {
  return html`<span class=${`outcome-${run.outcome}`} data-testid=${testid}>${run.outcome}</span>`;
}

function JobRow({ job, reload }) {
  const last = job.runs[0];
  const schedule = (sch) => (sch.kind === 'daily' ? `${sch.text} (${sch.timeZone})` : sch.text);
  return html`<tr data-job=${job.name}>
    <td>${job.name}</td>
    <td>${schedule(job.schedule)}</td>
    <td>${last ? formatTime(last.startedAt) : html`<span class="muted">not run yet</span>`}</td>
    <td>${last ? html`<${Outcome} run=${last} testid="last-outcome" />${last.error && html`<div class="run-error">${last.error}</div>`}` : '—'}</td>
    <td>${last ? countsText(last.counts) : '—'}</td>
    <td>${job.runs.length === 0 ? '—' : html`<details>
      <summary>${job.runs.length} run${job.runs.length === 1 ? '' : 's'}</summary>
      <table class="list" aria-label=${`Runs of ${job.name}`}>
        <thead><tr>${['Slot', 'Started', 'Took', 'Instance', 'Outcome', 'Counts / error'].map((t) => html`<th>${t}</th>`)}</tr></thead>
        <tbody>${job.runs.map((run) => html`<tr>
          <td>${formatTime(run.slot)}</td><td>${formatTime(run.startedAt)}</td><td>${took(run)}</td>
          <td>${run.instance}</td><td><${Outcome} run=${run} /></td>
          <td>${run.error ? html`<span class="run-error">${run.error}</span>` : countsText(run.counts)}</td>
        </tr>`)}</tbody>
      </table>
    </details>`}</td>
    ${/* The run is recorded whatever its outcome; the list is then read again to show it. */ ''}
    <td><${RowAction} label="Run now" action=${async () => {
      await post(`/jobs/${encodeURIComponent(job.name)}/run`, {});
      await reload();
    }} /></td>
  </tr>`;
}

export function Jobs() {
  const [jobs, setJobs] = useState(null);
  const [error, setError] = useState(null);
  const reload = () => get('/jobs').then((answer) => setJobs(answer.items), setError);
  useLayoutEffect(() => {
    reload();
  }, []);
  return html`<h1>Jobs</h1>
    <p class="muted">The periodic jobs of leadproc serve, with their latest runs (newest first). A run that failed shows its error. "Run now" runs one at once, beside its schedule.</p>
    ${error ? html`<${Failure} error=${error} />` : jobs && html`<table class="list" aria-label="Jobs">
      <thead><tr>${['Job', 'Schedule', 'Last run', 'Outcome', 'Counts', 'Latest runs', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
      <tbody>${jobs.map((job) => html`<${JobRow} key=${job.name} job=${job} reload=${reload} />`)}</tbody>
    </table>`}`;
}
