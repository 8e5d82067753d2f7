// Helpers shared by the admin configuration views (admin_*.js): the platforms, a flash message
// that survives a re-render, moving the API's field errors onto the controls that caused them
// when the UI's fields are shaped differently from the API's (e.g. `slugs[2]` -> the one "Slugs"
// text field), and number and duration formatting. Row actions and confirmations are forms.js's.
import { ApiError } from './api.js';

// leadSource.platform values (docs/api-config.md "Availabilities", docs/api-auth.md "API keys").
export const PLATFORMS = [
  'website', 'paid_ads', 'instagram', 'whatsapp_bot', 'dc', 'referral', 'google_ads_west',
  'crm_direct', 'junk_automation',
];

// A message shown once at the top of the next render of a view (after `rerender()`).
const FLASH_KEY = 'leadproc.admin-flash';
export function setFlash(message) {
  sessionStorage.setItem(FLASH_KEY, message);
}
export function takeFlashText() {
  const message = sessionStorage.getItem(FLASH_KEY);
  sessionStorage.removeItem(FLASH_KEY);
  return message;
}

// Runs `call` (a promise-returning function); when it fails with field errors, `rename(field,
// reason)` may answer {field, reason} to show an error on another control (or null to keep it).
export async function mappingFieldErrors(call, rename) {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError)
      err.fieldErrors = err.fieldErrors.map((e) => rename(e.field, e.reason) ?? e);
    throw err;
  }
}

// "goa, goa-trips" -> ['goa', 'goa-trips'].
export function listFromText(value) {
  return String(value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

// A number input's value for the API: '' -> `empty`, else the number (or the text itself when it
// is not a number, so that the API names the field).
export function numberOr(value, empty) {
  if (value === null || value === undefined || String(value).trim() === '') return empty;
  const n = Number(value);
  return Number.isNaN(n) ? value : n;
}

// 5400 -> "1 h 30 min"; null -> "—".
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
