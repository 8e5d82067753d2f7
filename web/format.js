// Formatting shared by the views: dates and times, a value of the API as text, a person's name,
// the message for a failed call, and datetime-local <-> ISO-8601.
import { ApiError } from './api.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

// A value of the API as text: null as a dash, objects as JSON.
export function text(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') return value.name ?? JSON.stringify(value);
  return String(value);
}

export function userName(user) {
  if (!user) return '—';
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return name || user.email;
}

// The text to show for a failed call.
export function problemMessage(err) {
  if (!(err instanceof ApiError)) return `Cannot reach the server: ${err.message}`;
  if (err.status === 412)
    return 'Someone else changed this since you opened it: nothing was saved. Reload to see the latest version, then try again.';
  const { title, detail } = err.problem;
  return detail ? `${title}: ${detail}` : title || `HTTP ${err.status}`;
}

// datetime-local value -> ISO-8601 (the browser's time zone), '' -> undefined.
export function isoFromLocal(value) {
  return value ? new Date(value).toISOString() : undefined;
}

// ISO-8601 -> a datetime-local value in the browser's time zone ("2026-03-20T18:00"); '' for none.
export function localFromIso(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

// '2026-03-31' -> '2026-04-01'; anything else is passed on as it is (the API names it).
export function dayAfter(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!m) return day;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1)).toISOString().slice(0, 10);
}

// The business day (YYYY-MM-DD) of an instant in `timeZone` (the API's), `shiftMs` later: a
// report's `to` (exclusive) shifted by -1 is the last day it includes.
export function dayIn(iso, timeZone, shiftMs = 0) {
  const d = new Date(new Date(iso).getTime() + shiftMs);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
