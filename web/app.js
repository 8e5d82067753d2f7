// The leadproc web UI: finds out who is signed in, draws the header, and shows the view that the
// URL's hash names (#/, #/opportunities/<id>, #/admin/...). Components are Preact with htm (web/ui.js;
// docs/architecture.md says why). Every visit of a route mounts its view afresh (keyed by the
// hash and a reload count), so a view loads its data once, and a slow answer for a view the user
// has left lands in a component that is gone.
import { html, render, useState, useEffect, useRef } from './ui.js';
import { get, session, onUnauthorized } from './api.js';
import { Failure } from './components.js';
import { Header } from './header.js';
import { Login } from './login.js';
import { Worklist } from './worklist.js';
import { useBulkWork } from './bulk.js';
import { Opportunity } from './opportunity.js';
import { AdminOpportunities, Users, Availabilities, WebUrls } from './admin.js';
import { Destinations } from './admin_destinations.js';
import { Routing } from './admin_routing.js';
import { ApiKeys } from './admin_keys.js';
import { Webhooks } from './admin_webhooks.js';
import { LeadSources } from './admin_sources.js';
import { SlaReport, Jobs } from './admin_reports.js';
import { ScoreConfigurations } from './admin_scoring.js';
import { SlaPolicies } from './admin_sla_policies.js';
import { labelTables } from './cards.js';
import { keepTyped, dropTyped } from './drafts.js';
import { Account } from './account.js';
import { SearchResults, Customer } from './search.js';
import { Board } from './board.js';
import { Reports } from './reports.js';

// The caller's own work list, with bulk work on their rows (tag, untag, move: bulk.js).
function MyOpportunities(props) {
  return html`<${Worklist} ...${props} useExtension=${useBulkWork} />`;
}

// [pattern, view component, department that may see it]
const routes = [
  [/^\/$/, MyOpportunities],
  [/^\/opportunities\/([0-9a-f]{24})$/, Opportunity],
  [/^\/board$/, Board],
  [/^\/reports$/, Reports],
  [/^\/search$/, SearchResults],
  [/^\/account$/, Account],
  [/^\/customers\/([^/]+)$/, Customer],
  [/^\/admin\/opportunities$/, AdminOpportunities, 'ADMIN'],
  [/^\/admin\/users$/, Users, 'ADMIN'],
  [/^\/admin\/availabilities$/, Availabilities, 'ADMIN'],
  [/^\/admin\/weburls$/, WebUrls, 'ADMIN'],
  [/^\/admin\/destinations$/, Destinations, 'ADMIN'],
  [/^\/admin\/routing$/, Routing, 'ADMIN'],
  [/^\/admin\/api-keys$/, ApiKeys, 'ADMIN'],
  [/^\/admin\/webhooks$/, Webhooks, 'ADMIN'],
  [/^\/admin\/sources$/, LeadSources, 'ADMIN'],
  [/^\/admin\/sla$/, SlaReport, 'ADMIN'],
  [/^\/admin\/sla-policies$/, SlaPolicies, 'ADMIN'],
  [/^\/admin\/jobs$/, Jobs, 'ADMIN'],
  [/^\/admin\/scoring$/, ScoreConfigurations, 'ADMIN'],
];

// "#/admin/users?x=1" -> {path: "/admin/users", params: URLSearchParams("x=1")}
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path, params: new URLSearchParams(query) };
}

export function navigate(path, params) {
  const query = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString() : '';
  location.hash = `#${path}${query ? `?${query}` : ''}`;
}

function NotFound() {
  return html`<main id="view"><h1>Not found</h1><p>There is no such page. <a href="#/">Go home</a></p></main>`;
}

function Loading({ children }) {
  return html`<main id="view">${children ?? html`<p class="muted">Loading…</p>`}</main>`;
}

// Who is signed in is asked of the server when the page starts (GET /auth/me): the session
// cookie signs in a new tab or a pasted link (api.js). Signed out, every route shows the sign-in
// form and, once signed in, the page the person was going to. A session that ends mid-edit keeps
// what was being typed (drafts.js) and puts it back after signing in again.
function App() {
  const [hash, setHash] = useState(location.hash);
  const [generation, setGeneration] = useState(0);  // bumped by rerender(): the same route afresh
  const [conflict, setConflict] = useState(false);  // the rerender was a Reload after a conflict
  const [user, setUser] = useState(null);
  const [status, setStatus] = useState('checking');  // checking | in | out | failed
  const [notice, setNotice] = useState(null);
  const [failed, setFailed] = useState(null);
  const signedInAs = useRef(null);  // the user's _id, for the 401 handler (kept current on each render)
  signedInAs.current = user?._id ?? null;

  useEffect(() => {
    const changed = () => {
      setConflict(false);
      setHash(location.hash);
    };
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);

  const signedOut = (message, { endSession = true } = {}) => {
    session.signedIn = false;
    if (endSession) session.end();
    setUser(null);
    setNotice(message);
    setStatus('out');
  };
  useEffect(() => {
    onUnauthorized(() => {
      keepTyped(document.getElementById('view') ?? document.body, signedInAs.current);
      signedOut('Your session has ended. Please sign in again.');
    });
    const hadToken = Boolean(session.token());
    get('/auth/me').then((answer) => {
      session.signedIn = true;
      setUser(answer.user);
      setStatus('in');
    }, (err) => {
      // (Nothing to end without a token: and a token another script stored meanwhile stays.)
      if (err.status === 401) signedOut(hadToken ? 'Your session has ended. Please sign in again.' : null, { endSession: hadToken });
      else {
        setFailed(err);
        setStatus('failed');
      }
    });
  }, []);

  const { path, params } = parseHash();
  if (status === 'checking') return html`<${Header} /><${Loading} />`;
  if (status === 'failed') return html`<${Header} /><${Loading}><${Failure} error=${failed} /><//>`;
  if (status === 'out') {
    return html`<${Header} />
      <${Login} key="login" notice=${notice} signedIn=${(who) => {
        session.signedIn = true;
        setUser(who);
        setNotice(null);
        setStatus('in');
        setGeneration((g) => g + 1);
      }} />`;
  }
  const header = html`<${Header} user=${user} navigate=${navigate} onSignOut=${(message) => {
    dropTyped();
    signedOut(message);
    if (location.hash && location.hash !== '#/') location.hash = '#/';
  }} />`;
  if (path === '/login' || (user.department === 'ADMIN' && path === '/')) {
    location.hash = user.department === 'ADMIN' ? '#/admin/opportunities' : '#/';
    return html`${header}<${Loading} />`;
  }

  let content = html`<${NotFound} />`;
  for (const [pattern, view, department] of routes) {
    const match = path.match(pattern);
    if (!match || (department && user.department !== department)) continue;
    const props = {
      user, params, id: match[1] && decodeURIComponent(match[1]), navigate, conflict,
      rerender: (options) => {
        setConflict(Boolean(options?.conflict));
        setGeneration((g) => g + 1);
      },
    };
    const key = `${hash}#${generation}`;
    content = html`<main id="view" key=${key}><${view} ...${props} /></main>`;
    break;
  }
  return html`${header}${content}`;
}

const root = document.getElementById('app');
root.replaceChildren();
render(html`<${App} />`, root);
labelTables(root);
