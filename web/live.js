// Live events (docs/api-events.md): one EventSource per signed-in tab on
// GET /api/v1/events/stream, signed in by the session cookie. EventSource reconnects by itself and
// sends the id of the last event it got (Last-Event-ID), so the server replays what the tab missed;
// a `reset` (too much missed) makes every subscriber reload.
//
//   subscribe(fn) -> unsubscribe     fn(event) for every event: {id, type, opportunityId, name, ...}
//   useLiveRefresh(reload, types?)   a view reloads itself on a relevant event (the work list)
//   <LiveStatus user=... />          in the header: the count badge, the toasts, the tab title, and
//                                    the "Notify me" button (browser notification and a beep, only
//                                    with the person's permission, asked on that click)
//
// A tab signed in by a bearer token (a server that sets no cookie: api.js) has no stream:
// EventSource cannot send an Authorization header.
import { html, useState, useEffect } from './ui.js';
import { session } from './api.js';

const TYPES = ['assigned', 'unassigned', 'reinquiry', 'stage_changed', 'followup_due', 'followup_overdue', 'waiting', 'reset'];
// What is announced (toast) and counted (badge, tab title): a new lead or a due follow-up.
const COUNTED = new Set(['assigned', 'followup_due', 'followup_overdue', 'waiting']);
// What changes a person's list of opportunities.
export const LIST_CHANGES = ['assigned', 'unassigned', 'reinquiry', 'stage_changed', 'waiting', 'reset'];
const TOAST_MS = 8000;
const TOASTS_SHOWN = 3;

const listeners = new Set();
let source = null;

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function dispatch(event) {
  for (const fn of [...listeners]) {
    try {
      fn(event);
    } catch (err) {
      console.error('live event listener failed', err);
    }
  }
}

function open() {
  if (source || session.token()) return;
  source = new EventSource('/api/v1/events/stream');
  source.addEventListener('open', () => dispatch({ type: 'open' }));
  for (const type of TYPES) {
    source.addEventListener(type, (e) => {
      let data = {};
      try {
        data = JSON.parse(e.data);
      } catch {
        data = { type };
      }
      dispatch({ ...data, type });
    });
  }
}

function close() {
  source?.close();
  source = null;
}

// Calls `reload` when an event of `types` arrives (at most once per burst of events).
export function useLiveRefresh(reload, types = LIST_CHANGES) {
  useEffect(() => {
    let queued = false;
    return subscribe((e) => {
      if (!types.includes(e.type) || queued) return;
      queued = true;
      setTimeout(() => {
        queued = false;
        reload();
      }, 0);
    });
  }, []);
}

export function describe(e) {
  const who = e.name ? `: ${e.name}` : '';
  switch (e.type) {
    case 'assigned': return `New lead${who}`;
    case 'unassigned': return `Lead handed over${who}`;
    case 'reinquiry': return `Asked again${who}`;
    case 'stage_changed': return `Stage changed${who}`;
    case 'followup_due': return `Follow-up due in 15 minutes${who}`;
    case 'followup_overdue': return `Follow-up overdue${who}`;
    case 'waiting': return `Lead waiting unassigned${who}`;
    default: return 'Update';
  }
}

// A short beep (WebAudio, no file). The context is made on the "Notify me" click, as browsers
// let a page play sound only after the person interacted with it.
let audio = null;
function beep() {
  if (!audio) return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.25);
}

const notifications = () => typeof Notification !== 'undefined';

export function LiveStatus({ user }) {
  const [count, setCount] = useState(0);
  const [toasts, setToasts] = useState([]);
  const [permission, setPermission] = useState(notifications() ? Notification.permission : 'unsupported');
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    open();
    const off = subscribe((e) => {
      if (e.type === 'open') setConnected(true);
      if (!COUNTED.has(e.type) && e.type !== 'reinquiry') return;
      const key = `${e.id ?? Date.now()}-${Math.random()}`;
      const toast = { key, text: describe(e), href: e.opportunityId ? `#/opportunities/${e.opportunityId}` : '#/' };
      setToasts((t) => [toast, ...t].slice(0, TOASTS_SHOWN));
      setTimeout(() => setToasts((t) => t.filter((x) => x.key !== key)), TOAST_MS);
      if (COUNTED.has(e.type)) setCount((c) => c + 1);
      if (notifications() && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
        new Notification(toast.text, { tag: key });
      }
      if (notifications() && Notification.permission === 'granted') beep();
    });
    return () => {
      off();
      close();
    };
  }, [user?._id]);

  useEffect(() => {
    document.title = count > 0 ? `(${count}) leadproc` : 'leadproc';
  }, [count]);

  const ask = async () => {
    audio = audio ?? new AudioContext();
    setPermission(await Notification.requestPermission());
  };
  const seen = () => setCount(0);

  return html`<div class="live" data-live=${connected ? 'open' : 'connecting'}>
    <a href="#/" class=${`live-count${count > 0 ? ' on' : ''}`} data-testid="live-count" onClick=${seen}
      aria-label=${`${count} new`} title="New leads and due follow-ups since you last looked">${count}</a>
    ${permission === 'default' && html`<button type="button" class="link" onClick=${ask}>Notify me</button>`}
    <div class="toasts" role="status" aria-live="polite">
      ${toasts.map((t) => html`<a class="toast" key=${t.key} href=${t.href} onClick=${seen}>${t.text}</a>`)}
    </div>
  </div>`;
}
