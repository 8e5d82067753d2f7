// The reports page (#/reports; docs/reports.md defines every number): what waits now (ADMIN's
// morning to-do list), the funnel of the period with its drop-off, its trend per day or week (a
// chart and the numbers), a breakdown by platform, campaign, destination or person, time in
// stage, and the people table. Filters: the period (both
// days included), platform, campaign, destination and person; they live in the route's query, so
// a report is a link.
//
// Every count is a link to exactly those opportunities: the API gives each number the query of
// GET /opportunities that lists them, and the link opens the work list with that query
// (worklist.js keeps the report's own filters: kind, reached, outcome, campaign, assignee).
//
// ADMIN sees everything. Anyone else sees the people table only (the funnel is ADMIN's): their
// own row beside the team's total, which is what GET /reports/people answers them.
//
// The funnel is drawn as bars of HTML (each bar's number a link, readable by a screen reader);
// the trend, a series over time, is drawn by uPlot (reports_chart.js).
import { html } from './ui.js';
import { get } from './api.js';
import { dayAfter, dayIn, formatTime, userName } from './format.js';
import { Field, Select, Failure } from './components.js';
import { label, labelled } from './labels.js';
import { PLATFORMS, duration } from './admin_common.js';
import { useLoad, ExportLink } from './worklist.js';
import { TrendChart } from './reports_chart.js';

const BREAKDOWNS = [['platform', 'Platform'], ['campaign', 'Campaign'], ['destination', 'Destination'], ['agent', 'Person']];
const TRENDS = [['day', 'Per day'], ['week', 'Per week']];
const FILTERS = ['platform', 'campaign', 'destination', 'person'];
// The steps drawn on the trend chart (all five crowd a phone's chart; the table has every one).
const TREND_STEPS = ['captured', 'contacted', 'qualified', 'won'];
// Departments whose people hold leads (the person filter's choices).
const WORKERS = new Set(['PSV', 'WEST', 'SALES']);

// The route's report parameters, and the API query of the funnel they make.
function settingsOf(params) {
  const get = (k, fallback = '') => params.get(k) || fallback;
  return {
    from: get('from'), to: get('to'), platform: get('platform'), campaign: get('campaign'),
    destination: get('destination'), person: get('person'),
    trend: get('trend', 'day'), breakdown: get('breakdown', 'platform'),
  };
}
function periodOf(s) {
  return { from: s.from, to: s.to ? dayAfter(s.to) : '' };
}
function funnelQuery(s, groupBy) {
  return { ...periodOf(s), ...Object.fromEntries(FILTERS.map((k) => [k, s[k]])), groupBy };
}

// The work list that shows the opportunities of a report's `query` (the admin's, or one's own).
function listHref(admin, query) {
  return `${admin ? '#/admin/opportunities' : '#/'}?${query}`;
}

function Count({ n, admin, testid }) {
  return html`<a href=${listHref(admin, n.query)} data-testid=${testid}>${String(n.count)}</a>`;
}

// The drop-off from the step before: "−50%", "0%", or nothing (at captured, or after a step of 0).
function dropText(percent) {
  if (percent === null || percent === undefined) return '';
  return percent === 0 ? '0%' : `−${percent}%`;
}

// The funnel of one row (the total): a bar per step, its width the share of `captured`, its
// count a link, its drop-off from the step before; lost, disqualified, duplicates and unknown
// destinations beside it.
function Funnel({ row, admin }) {
  const captured = row.steps[0].count;
  return html`<ol class="funnel" aria-label="Funnel">
      ${row.steps.map((s) => html`<li data-step=${s.step}>
        <span class="step">${label(s.step)}</span>
        <span class="bar"><span class="fill" style=${{ width: `${captured ? (100 * s.count) / captured : 0}%` }}></span></span>
        <span class="num"><${Count} n=${s} admin=${admin} testid=${`funnel-${s.step}`} /></span>
        <span class="drop" data-testid=${`drop-${s.step}`} title="drop-off from the step before">${dropText(s.dropOffPercent)}</span>
      </li>`)}
    </ol>
    <p class="beside">
      <span>Lost <${Count} n=${row.lost} admin=${admin} testid="funnel-lost" /></span>
      <span>Disqualified <${Count} n=${row.disqualified} admin=${admin} testid="funnel-disqualified" /></span>
      <span>Re-inquiries <${Count} n=${row.duplicates} admin=${admin} testid="funnel-duplicates" /></span>
      <span>Unknown destination <${Count} n=${row.unknown} admin=${admin} testid="funnel-unknown" /></span>
      <span>All <${Count} n=${row.total} admin=${admin} testid="funnel-total" /></span>
    </p>`;
}

// A table of funnel rows (the trend's days or weeks, or a breakdown) with the total last.
function FunnelTable({ answer, heading, name, admin }) {
  const cells = (r) => html`
    <td class="num"><${Count} n=${r.total} admin=${admin} /></td>
    ${r.steps.map((s) => html`<td class="num"><${Count} n=${s} admin=${admin} />${s.dropOffPercent ? html` <small class="drop">${dropText(s.dropOffPercent)}</small>` : ''}</td>`)}
    ${['lost', 'disqualified', 'duplicates', 'unknown'].map((k) => html`<td class="num"><${Count} n=${r[k]} admin=${admin} /></td>`)}`;
  const heads = [heading, 'All', ...answer.steps.map(label), 'Lost', 'Disqualified', 'Re-inquiries', 'Unknown destination'];
  return html`<div class="table-wrap"><table class="list" aria-label=${name}>
    <thead><tr>${heads.map((t, i) => html`<th class=${i ? 'num' : ''}>${t}</th>`)}</tr></thead>
    <tbody>${answer.rows.map((r) => html`<tr data-key=${r.key}><td>${r.label || (answer.groupBy === 'campaign' ? 'No campaign' : answer.groupBy === 'destination' ? 'Unknown' : r.key || '—')}</td>${cells(r)}</tr>`)}</tbody>
    <tfoot><tr data-key=""><td>Total</td>${cells(answer.total)}</tr></tfoot>
  </table></div>`;
}

function Trend({ answer, admin }) {
  const values = (step) => answer.rows.map((r) => r.steps.find((s) => s.step === step).count);
  const series = TREND_STEPS.map((step) => ({ label: label(step), values: values(step) }));
  const per = answer.groupBy === 'week' ? 'week' : 'day';
  return html`<${TrendChart} days=${answer.rows.map((r) => r.key)} series=${series}
      label=${`Leads per ${per}: ${series.map((s) => s.label.toLowerCase()).join(', ')}`} />
    <details><summary>The numbers per ${per}</summary>
      <${FunnelTable} answer=${answer} heading=${per === 'week' ? 'Week from' : 'Day'} name=${`Funnel per ${per}`} admin=${admin} />
    </details>`;
}

const percentText = (p) => (p === null || p === undefined ? '—' : `${p}%`);
const shareText = (p) => (p === null || p === undefined ? '—' : String(p));

// "INR 125000.50 · USD 980.00": the deal values of the won leads, per currency.
const revenueText = (revenue) => (revenue.byCurrency.length === 0 ? '—'
  : revenue.byCurrency.map((c) => `${c.currency} ${c.amount}`).join(' · '));

// The morning's to-do list (GET /reports/now; ADMIN): what waits now, whatever the period. The
// unassigned and unknown-destination counts open their lists; the popular pages without a
// destination go to the Web URLs page, where they are marked.
function Now({ now }) {
  const item = (text, w, testid) => html`<li data-testid=${testid}>${text}: ${w.query
    ? html`<a href=${listHref(true, w.query)}>${String(w.count)}</a>` : html`<strong>${String(w.count)}</strong>`}${w.oldest
    ? html` <small class="muted">oldest ${formatTime(w.oldest)}</small>` : ''}</li>`;
  return html`<ul class="now" aria-label="Waiting now">
      ${item('Unassigned, waiting for an agent', now.unassigned, 'now-unassigned')}
      ${item('Follow-ups overdue', now.overdueFollowUps, 'now-overdue-followups')}
      ${item('PSV/WEST next attempts overdue', now.overdueAttempts, 'now-overdue-attempts')}
      ${item('Destination still unknown', now.resolvingUnknown, 'now-resolving')}
    </ul>
    ${now.unmarkedUrls.length > 0 && html`<p>Popular pages with no destination (<a href="#/admin/weburls">mark them</a>):</p>
      <ol class="now-urls" data-testid="now-urls">${now.unmarkedUrls.map((u) => html`<li>${u.url} <small class="muted">${u.hits} hits</small></li>`)}</ol>`}
    <p class="muted">As of ${formatTime(now.asOf)}.</p>`;
}

// "Open · Fresh lead: 3" per line: what a person holds open by status and stage (open.byStage,
// keyed "<status>/<stage>" or "<status>"), for the open cell's tooltip.
const openTitle = (open) => Object.entries(open.byStage ?? {})
  .map(([key, n]) => `${key.split('/').map((k) => label(k)).join(' · ')}: ${n}`).join('\n');

// The people table: a row per person (for anyone but ADMIN, their own) and the team's total.
function People({ answer, admin, person }) {
  const rows = person ? answer.rows.filter((r) => r.person?._id === person) : answer.rows;
  const cells = (r) => html`
    <td class="num"><${Count} n=${r.received} admin=${admin} /></td>
    <td class="num">${shareText(r.expectedShare)}</td>
    <td class="num">${String(r.leads)}</td>
    <td class="num">${percentText(r.qualifiedPercent)}</td>
    <td class="num">${percentText(r.wonPercent)}</td>
    <td class="num" data-testid="reinquiries">${String(r.reInquiries)}</td>
    <td class="num" data-testid="revenue">${revenueText(r.revenue)}</td>
    <td class="num">${duration(r.firstContact.p50Seconds)}</td>
    <td class="num">${duration(r.firstContact.p90Seconds)}</td>
    <td class="num">${percentText(r.firstContact.breachRatePercent)}</td>
    <td class="num" title=${openTitle(r.open)}>${String(r.open.total)}</td>
    <td class="num">${String(r.overdue)}</td>`;
  const heads = ['Person', 'Received', 'Fair share', 'Leads', 'Qualified', 'Won', 'Re-inquiries', 'Revenue', 'First contact p50',
    'First contact p90', 'SLA breached', 'Open now', 'Overdue now'];
  return html`<div class="table-wrap"><table class="list" aria-label="People">
    <thead><tr>${heads.map((t, i) => html`<th class=${i ? 'num' : ''}>${t}</th>`)}</tr></thead>
    <tbody>${rows.map((r) => html`<tr data-person=${r.person?.name}>
      <td>${r.person?.name ?? '—'} <small class="muted">${label(r.person?.department ?? '')}</small></td>${cells(r)}</tr>`)}</tbody>
    <tfoot><tr data-person="total"><td>Team total</td>${cells(answer.total)}</tr></tfoot>
  </table></div>
  <p class="muted">"Fair share": the leads of the period divided evenly among the people of the
    person's rotation. "Re-inquiries": the period's repeat enquiries on the leads the person
    holds. First contact and SLA: the opportunities that entered the CRM phase in the
    period (${answer.firstContactSlaHours} h); "now" is as of ${formatTime(answer.asOf)}.</p>`;
}

// Time in stage (GET /reports/time-in-stage): capture to each milestone, then each status and
// stage's stays that ended in the period, p50 and p90.
function StageTimes({ row }) {
  const line = (label, d, key) => html`<tr data-key=${key}><td>${label}</td><td class="num">${String(d.count)}</td>
    <td class="num">${duration(d.p50Seconds)}</td><td class="num">${duration(d.p90Seconds)}</td></tr>`;
  const heads = html`<thead><tr><th></th><th class="num">Count</th><th class="num">p50</th><th class="num">p90</th></tr></thead>`;
  return html`<div class="table-wrap"><table class="list" aria-label="Time to milestones">${heads}<tbody>
      ${line('Created → contacted', row.toContacted, 'toContacted')}
      ${line('Created → qualified', row.toQualified, 'toQualified')}
      ${line('Created → won', row.toWon, 'toWon')}</tbody></table></div>
    <div class="table-wrap"><table class="list" aria-label="Time in stage">${heads}<tbody>
      ${row.stages.map((st) => line(st.stage ? `${st.status} · ${st.stage}` : st.status, st, `${st.status}/${st.stage}`))}</tbody></table></div>
    ${row.stages.length ? null : html`<p class="muted">No stay ended in this period.</p>`}`;
}

function FilterForm({ s, admin, choices, shown, navigate }) {
  const submit = (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.currentTarget));
    navigate('/reports', data);
  };
  const [destinations, people] = choices ?? [[], []];
  return html`<form class="filters" aria-label="Report filters" novalidate onSubmit=${submit}>
    <${Field} label="From" id="r-from"><input id="r-from" name="from" type="date" defaultValue=${s.from || shown.from} /><//>
    <${Field} label="To" id="r-to" hint="both days included"><input id="r-to" name="to" type="date" defaultValue=${s.to || shown.to} /><//>
    ${admin && html`
      <${Field} label="Platform" id="r-platform">
        <${Select} id="r-platform" name="platform" options=${labelled(PLATFORMS)} value=${s.platform} blank="All platforms" /><//>
      <${Field} label="Campaign" id="r-campaign"><input id="r-campaign" name="campaign" defaultValue=${s.campaign} placeholder="All campaigns" /><//>
      <${Field} label="Destination" id="r-destination">
        <${Select} id="r-destination" name="destination" options=${[...destinations, ['none', 'Unknown']]} value=${s.destination} blank="All destinations" /><//>
      <${Field} label="Person" id="r-person">
        <${Select} id="r-person" name="person" options=${people} value=${s.person} blank="Everyone" /><//>
      <${Field} label="Trend" id="r-trend"><${Select} id="r-trend" name="trend" options=${TRENDS} value=${s.trend} /><//>
      <${Field} label="Break down by" id="r-breakdown"><${Select} id="r-breakdown" name="breakdown" options=${BREAKDOWNS} value=${s.breakdown} /><//>`}
    <div class="field"><button type="submit">Show</button></div>
  </form>`;
}

async function loadAdmin(s) {
  const [total, trend, breakdown, people, stages, now, destinations, users] = await Promise.all([
    get('/reports/funnel', funnelQuery(s, 'none')), get('/reports/funnel', funnelQuery(s, s.trend)),
    get('/reports/funnel', funnelQuery(s, s.breakdown)), get('/reports/people', periodOf(s)),
    get('/reports/time-in-stage', funnelQuery(s, 'none')), get('/reports/now'), get('/destinations'),
    get('/users'),
  ]);
  const choices = [destinations.items.map((d) => [d._id, d.name]),
    users.items.filter((u) => WORKERS.has(u.department)).map((u) => [u._id, `${userName(u)} (${u.department})`])];
  return { total, trend, breakdown, people, stages, now, choices };
}

export function Reports({ user, params, navigate }) {
  const admin = user.department === 'ADMIN';
  const s = settingsOf(params);
  const [answer, error] = useLoad(() => (admin ? loadAdmin(s) : get('/reports/people', periodOf(s)).then((people) => ({ people }))));
  const tz = answer?.people.timezone;
  const shown = answer ? { from: dayIn(answer.people.from, tz), to: dayIn(answer.people.to, tz, -1) } : { from: '', to: '' };
  const fieldErrors = error?.fieldErrors?.length ? error.fieldErrors : null;
  let body = html`<p class="muted">Loading…</p>`;
  if (error) body = html`<${Failure} error=${error} />${fieldErrors && html`<ul class="field-errors">${fieldErrors.map((e) => html`<li>${e.field}: ${e.reason}</li>`)}</ul>`}`;
  else if (answer) {
    const breakdownName = BREAKDOWNS.find(([k]) => k === s.breakdown)?.[1] ?? s.breakdown;
    body = html`<p data-testid="report-period">Created from ${shown.from} to ${shown.to} (${tz}).</p>
      ${admin && html`<section class="card" aria-label="Now section"><div class="title"><h2>Now</h2>
          <${ExportLink} path="/exports/now.csv" query=${{}}>Export CSV<//></div>
          <${Now} now=${answer.now} /></section>
        <section class="card" aria-label="Funnel section"><div class="title"><h2>Funnel</h2>
          <${ExportLink} path="/exports/funnel.csv" query=${funnelQuery(s, 'none')}>Export CSV<//></div>
          <${Funnel} row=${answer.total.total} admin=${admin} /></section>
        <section class="card" aria-label="Trend section"><h2>Trend</h2><${Trend} answer=${answer.trend} admin=${admin} /></section>
        <section class="card" aria-label="Breakdown section"><div class="title"><h2>By ${breakdownName.toLowerCase()}</h2>
          <${ExportLink} path="/exports/funnel.csv" query=${funnelQuery(s, s.breakdown)}>Export CSV<//></div>
          <${FunnelTable} answer=${answer.breakdown} heading=${breakdownName} name=${`Funnel by ${breakdownName.toLowerCase()}`} admin=${admin} /></section>
        <section class="card" aria-label="Time in stage section"><div class="title"><h2>Time in stage</h2>
          <${ExportLink} path="/exports/time-in-stage.csv" query=${funnelQuery(s, 'none')}>Export CSV<//></div>
          <${StageTimes} row=${answer.stages.total} /></section>`}
      <section class="card" aria-label="People section"><div class="title"><h2>${admin ? 'People' : 'My numbers'}</h2>
        <${ExportLink} path="/exports/people.csv" query=${periodOf(s)}>Export CSV<//></div>
        ${admin ? null : html`<p class="muted">Your own numbers beside the whole team's.</p>`}
        <${People} answer=${answer.people} admin=${admin} person=${admin ? s.person : ''} /></section>`;
  }
  return html`<h1>Reports</h1>
    <${FilterForm} key=${answer ? 'loaded' : 'loading'} s=${s} admin=${admin} choices=${answer?.choices} shown=${shown} navigate=${navigate} />
    ${body}`;
}
