// The JSON API client of the UI: every call goes to /api/v1. Errors come back as ApiError,
// carrying the API's problem+json (title, detail, errors [{field, reason}], allowed).
//
// Who is signed in: the browser's session cookie (HttpOnly, SameSite=Strict, set by
// POST /auth/login: docs/api-auth.md), so that a new tab or a pasted link is signed in too and no
// script can read the credential. A server that sets no such cookie (before sessions in cookies)
// is still served: after login the client asks GET /auth/me without the token, and only if that
// is refused keeps the bearer token, for the tab (sessionStorage), and sends it on each call.
const TOKEN_KEY = 'leadproc.token';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

export const session = {
  // The fallback bearer token, or null (the cookie signs in, or nobody is signed in).
  token: () => sessionStorage.getItem(TOKEN_KEY),
  // After a successful login: keep `token` only if the cookie does not sign in on its own.
  async start(token) {
    sessionStorage.removeItem(TOKEN_KEY);
    const probe = await fetch('/api/v1/auth/me', { headers: { Accept: 'application/json' } }).catch(() => null);
    if (!probe?.ok && token) sessionStorage.setItem(TOKEN_KEY, token);
  },
  end: () => sessionStorage.removeItem(TOKEN_KEY),
  // Set by the shell: a 401 means "the session is over" only while someone is signed in.
  signedIn: false,
};

let unauthorized = () => {};
// `handler(problem)` runs when the API refuses the session (expired, signed out elsewhere, user
// deactivated) while someone is signed in: the session is over.
export function onUnauthorized(handler) {
  unauthorized = handler;
}

// While calls are under way the page says so (aria-busy on <body>): for assistive technology, and
// for the browser tests, which wait until a view has its answers before they measure it.
let pending = 0;
function busy(change) {
  pending += change;
  document.body.toggleAttribute('aria-busy', pending > 0);
}

// Calls the API and answers the parsed JSON body (null for 204). `query` is an object whose
// null/undefined/'' values are left out; `ifMatch` a version for optimistic concurrency.
export async function api(method, path, { body, query, ifMatch } = {}) {
  const headers = { Accept: 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = `"${ifMatch}"`;
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  busy(+1);
  let response, text;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    text = await response.text();
  } finally {
    busy(-1);
  }
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? data : { title: response.statusText, status: response.status };
    // Only once for a session, however many calls were under way with it.
    if (response.status === 401 && session.signedIn && token === session.token() && path !== '/auth/login') {
      session.signedIn = false;
      session.end();
      unauthorized(problem);
    }
    throw new ApiError(response.status, problem);
  }
  return data;
}

export const get = (path, query) => api('GET', path, { query });
export const post = (path, body, options = {}) => api('POST', path, { ...options, body });
export const patch = (path, body, options = {}) => api('PATCH', path, { ...options, body });
