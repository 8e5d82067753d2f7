// Shifts, leave and check-in/out (docs/api-config.md "Shifts, leave and check-in"): the agent's
// own control in the header (their status and shift, "Check out" / "Check in") and the admin's
// shift and leave editor on the availabilities page. Shifts are edited as text, one per line
// ("mon 09:00 18:00"; an end before the start runs overnight), leave as "from to" lines of
// ISO-8601 instants; the server checks them and names each bad line (shifts[1].end). The same
// editor sets the POC's routing rules: cap, daily quota, weight, languages and the night desk.
import { get, post, patch } from './api.js';
import { formatTime } from './format.js';
import { html, useState, useEffect } from './ui.js';
import { Form, FormField, Submit } from './forms.js';

// "mon 09:00–18:00, fri 22:00–06:00", or "always" when there are none.
export function shiftsText(shifts) {
  return shifts.length ? shifts.map((s) => `${s.day} ${s.start}–${s.end}`).join(', ') : 'always';
}

// "yes", or why not ("off shift", "on leave", "checked out").
export function workingText(a) {
  return a.workingNow ? 'yes' : `no (${a.offDuty})`;
}

// "weight 2, cap 15, 40 a day, en hi, night desk", or "—" for the defaults.
export function rulesText(a) {
  const parts = [];
  if (a.weight !== 1) parts.push(`weight ${a.weight}`);
  if (a.cap !== null) parts.push(`cap ${a.cap}`);
  if (a.dailyQuota !== null) parts.push(`${a.dailyQuota} a day`);
  if (a.languages.length) parts.push(a.languages.join(' '));
  if (a.nightDesk) parts.push('night desk');
  return parts.length ? parts.join(', ') : '—';
}

// A number field's value: null when empty (no limit), else the number (the server checks it).
function limit(text) {
  const t = String(text ?? '').trim();
  return t === '' ? null : Number(t);
}

function shiftLines(shifts) {
  return shifts.map((s) => `${s.day} ${s.start} ${s.end}`).join('\n');
}

function leaveLines(leave) {
  return leave.map((l) => `${l.from} ${l.to}`).join('\n');
}

function lines(text) {
  return text.split('\n').map((l) => l.trim().split(/\s+/)).filter((w) => w[0]);
}

// The admin's editor of one availability's shifts and leave (PATCH /availabilities/{id}).
export function ScheduleEditor({ availability: a, done, cancel }) {
  const save = async (data) => {
    const shifts = lines(data.get('shifts')).map(([day, start, end]) => ({ day, start, end }));
    const leave = lines(data.get('leave')).map(([from, to]) => ({ from, to }));
    const languages = String(data.get('languages') ?? '').split(/[\s,]+/).filter(Boolean);
    await patch(`/availabilities/${a._id}`, {
      shifts, leave, languages,
      cap: limit(data.get('cap')),
      dailyQuota: limit(data.get('dailyQuota')),
      weight: limit(data.get('weight')) ?? 1,
      nightDesk: data.get('nightDesk') === 'on',
    });
    done();
  };
  const title = `Shifts and leave of ${a.personName}`;
  return html`<${Form} class="card" label=${title} action=${save}>
    <h2>${title}</h2>
    <${FormField} label="Shifts (one per line: day start end; none = always working)" id="s-shifts" name="shifts" whole>
      <textarea id="s-shifts" name="shifts" rows="5" placeholder="mon 09:00 18:00">${shiftLines(a.shifts)}</textarea><//>
    <${FormField} label="Leave (one per line: from to, ISO-8601 with offset)" id="s-leave" name="leave" whole>
      <textarea id="s-leave" name="leave" rows="3" placeholder="2026-12-24T00:00:00+05:30 2027-01-02T00:00:00+05:30">${leaveLines(a.leave)}</textarea><//>
    <h3>Routing</h3>
    <div class="weights">
      <${FormField} label="Weight (1–100: a senior 2, a new joiner 1)" id="s-weight" name="weight">
        <input id="s-weight" name="weight" type="number" min="1" max="100" value=${a.weight} /><//>
      <${FormField} label="Cap on untouched fresh leads (empty: none)" id="s-cap" name="cap">
        <input id="s-cap" name="cap" type="number" min="0" value=${a.cap ?? ''} /><//>
      <${FormField} label="Daily quota (empty: none)" id="s-quota" name="dailyQuota">
        <input id="s-quota" name="dailyQuota" type="number" min="0" value=${a.dailyQuota ?? ''} /><//>
      <${FormField} label="Languages (e.g. en hi; empty: any)" id="s-languages" name="languages">
        <input id="s-languages" name="languages" value=${a.languages.join(' ')} /><//>
    </div>
    <label class="check"><input type="checkbox" name="nightDesk" checked=${a.nightDesk} /> Night desk: gets this pool's leads only while nobody else of it is working</label>
    <div class="row"><${Submit}>Save shifts<//><button type="button" onClick=${cancel}>Cancel</button></div>
  <//>`;
}

// The signed-in agent's status and "Check out" / "Check in" (GET /me/work; nothing for a person
// in no pool).
export function WorkToggle() {
  const [items, setItems] = useState(null);
  const [failed, setFailed] = useState(null);
  useEffect(() => {
    get('/me/work').then((r) => setItems(r.items), () => setItems([]));
  }, []);
  if (!items || !items.length) return null;
  const checkedOut = items.some((a) => a.offDuty === 'checked out');
  const working = items.some((a) => a.workingNow);
  const act = async () => {
    try {
      setItems((await post(checkedOut ? '/me/check-in' : '/me/check-out')).items);
      setFailed(null);
    } catch (e) {
      setFailed(e.message || 'failed');
    }
  };
  const status = working ? 'Working' : checkedOut
    ? `Checked out until ${formatTime(items.find((a) => a.checkedOutUntil).checkedOutUntil)}`
    : `Not working (${items[0].offDuty})`;
  return html`<span class="work" data-testid="work-status" title=${`Shift: ${shiftsText(items[0].shifts)}`}>
    ${status}
    <button type="button" class="link" onClick=${act}>${checkedOut ? 'Check in' : 'Check out'}</button>
    ${failed && html`<span role="alert">${failed}</span>`}
  </span>`;
}
