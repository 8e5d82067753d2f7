// Small DOM helpers shared by the views. Elements are built with h(), never from HTML strings,
// so data from the API is always text, never markup.
import { ApiError } from './api.js';

// h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more children]).
// Attributes: on* add a listener; value/checked/selected/disabled set the property; false or
// null leave the attribute out; anything else is setAttribute.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'defaultValue' in el) el.defaultValue = el.value = value;  // what the page drew (drafts.js)
    else if (['value', 'checked', 'selected', 'disabled'].includes(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// A <select name=name> of `options` (strings or [value, label]); `blank` adds a first option
// with value '' and that label.
export function select(name, options, { value = '', blank, ...attrs } = {}) {
  const all = blank === undefined ? options : [['', blank], ...options];
  return h('select', { name, ...attrs },
    all.map((o) => {
      const [v, label] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: v, selected: v === value }, label);
    }));
}

// A labelled form field: <div class=field><label for=…>Label</label> control hint</div>. The
// control is named like the API's field so that its errors land next to it (showError).
let fieldIds = 0;
export function field(label, control, hint) {
  if (!control.id) control.id = `field-${++fieldIds}`;
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control,
    hint && h('small', { class: 'muted' }, hint));
}

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

// The control of `form` for the API's field `name`: the one of that name (or data-field=name);
// else, for a part of a structured field (`alternatePhone.number`, `tags[2]`), a control marked
// `data-whole` that edits the whole field (name=alternatePhone, name=tags). Opt-in, so that forms
// with a control per part keep their unmatched errors in the alert.
const LAST_PART = /(\.[^.[\]]*|\[\d+\])$/;
function controlFor(form, name) {
  const exact = form.querySelector(`[name="${CSS.escape(name)}"], [data-field="${CSS.escape(name)}"]`);
  for (let n = name; !exact && LAST_PART.test(n);) {
    n = n.replace(LAST_PART, '');
    const whole = form.querySelector(`[name="${CSS.escape(n)}"][data-whole], [data-field="${CSS.escape(n)}"][data-whole]`);
    if (whole) return whole;
  }
  return exact;
}

// Shows `err` on `form`: each field error next to its control (controlFor), the rest and the
// problem's message in the form's alert at its top. With `onReload`, a 412 offers a Reload button.
export function showError(form, err, onReload) {
  clearErrors(form);
  const alert = h('div', { class: 'alert', role: 'alert' }, problemMessage(err));
  for (const { field: name, reason } of err.fieldErrors ?? []) {
    const target = controlFor(form, name);
    const note = h('p', { class: 'field-error', 'data-error-for': name }, reason);
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      const fieldset = target.closest('fieldset');
      if (fieldset) fieldset.append(note);
      else (target.closest('.field') ?? target).append(note);
    } else {
      alert.append(h('div', {}, `${name}: ${reason}`));
    }
  }
  if (err.status === 412 && onReload) alert.append(' ', h('button', { type: 'button', onclick: onReload }, 'Reload'));
  form.prepend(alert);
}

export function clearErrors(form) {
  form.querySelectorAll('.alert, .field-error').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
}

// Runs `action` on submit with the busy state shown; a failure is shown on the form.
export function onSubmit(form, action, onReload) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    clearErrors(form);
    try {
      await action(new FormData(form));
    } catch (err) {
      showError(form, err, onReload);
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}

// A block for a view that failed to load.
export function failure(err) {
  return h('div', { class: 'alert', role: 'alert' }, problemMessage(err));
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
