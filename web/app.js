// The leadproc web UI: signs the user in, draws the header, and shows the view that the URL's
// hash names (#/, #/opportunities/<id>, #/admin/...). Components are Preact with htm (web/ui.js;
// docs/architecture.md says why). Every visit of a route mounts its view afresh (keyed by the
// hash and a reload count), so a view loads its data once, and a slow answer for a view the user
// has left lands in a component that is gone.
import { html, render, useState, useEffect } from './ui.js';
import { get, session, onUnauthorized } from './api.js';
import { DomView, Failure } from './components.js';
import { Header } from './header.js';
import { Login } from './login.js';
import { Worklist } from './worklist.js';
import { opportunityView } from './opportunity.js';
import { AdminOpportunities, usersView, availabilitiesView, webUrlsView } from './admin.js';
import { destinationsView } from './admin_destinations.js';
import { routingView } from './admin_routing.js';
import { apiKeysView } from './admin_keys.js';
import { slaView, jobsView } from './admin_reports.js';
import { scoreConfigurationsView } from './admin_scoring.js';
import { labelTables } from './cards.js';
import { SearchResults, Customer } from './search.js';

// [pattern, view, department]: a view is a component, or a DOM view function (DomView).
const routes = [
  [/^\/$/, Worklist],
  [/^\/opportunities\/([0-9a-f]{24})$/, opportunityView],
  [/^\/search$/, SearchResults],
  [/^\/customers\/([^/]+)$/, Customer],
  [/^\/admin\/opportunities$/, AdminOpportunities, 'ADMIN'],
  [/^\/admin\/users$/, usersView, 'ADMIN'],
  [/^\/admin\/availabilities$/, availabilitiesView, 'ADMIN'],
  [/^\/admin\/weburls$/, webUrlsView, 'ADMIN'],
  [/^\/admin\/destinations$/, destinationsView, 'ADMIN'],
  [/^\/admin\/routing$/, routingView, 'ADMIN'],
  [/^\/admin\/api-keys$/, apiKeysView, 'ADMIN'],
  [/^\/admin\/sla$/, slaView, 'ADMIN'],
  [/^\/admin\/jobs$/, jobsView, 'ADMIN'],
  [/^\/admin\/scoring$/, scoreConfigurationsView, 'ADMIN'],
];
const COMPONENT_VIEWS = new Set([Worklist, AdminOpportunities, SearchResults, Customer]);

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

function App() {
  const [hash, setHash] = useState(location.hash);
  const [generation, setGeneration] = useState(0);  // bumped by rerender(): the same route afresh
  const [user, setUser] = useState(null);
  const [notice, setNotice] = useState(null);
  const [failed, setFailed] = useState(null);

  useEffect(() => {
    const changed = () => setHash(location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);

  const signOutTo = (message) => {
    session.end();
    setUser(null);
    setNotice(message);
    if (location.hash !== '#/login') location.hash = '#/login';
  };
  useEffect(() => onUnauthorized(() => signOutTo('Your session has ended. Please sign in again.')), []);

  const signedIn = Boolean(session.token());
  useEffect(() => {
    if (signedIn && !user) {
      get('/auth/me').then((answer) => setUser(answer.user), (err) => {
        if (session.token()) setFailed(err);  // else: onUnauthorized already moved on
      });
    }
  }, [signedIn, user]);

  const { path, params } = parseHash();
  if (!signedIn) {
    return html`<${Header} />
      <${Login} key="login" notice=${notice} signedIn=${(who) => {
        setUser(who);
        setNotice(null);
        if (location.hash === '#/') setGeneration((g) => g + 1);
        else location.hash = '#/';
      }} />`;
  }
  if (path === '/login') {
    location.hash = '#/';
    return html`<${Loading} />`;
  }
  if (!user) return html`<${Header} /><${Loading}>${failed && html`<${Failure} error=${failed} />`}<//>`;
  if (user.department === 'ADMIN' && path === '/') {
    location.hash = '#/admin/opportunities';
    return html`<${Header} user=${user} onSignOut=${signOutTo} navigate=${navigate} /><${Loading} />`;
  }

  let content = html`<${NotFound} />`;
  for (const [pattern, view, department] of routes) {
    const match = path.match(pattern);
    if (!match || (department && user.department !== department)) continue;
    const props = {
      user, params, id: match[1] && decodeURIComponent(match[1]), navigate, rerender: () => setGeneration((g) => g + 1),
    };
    const key = `${hash}#${generation}`;
    content = COMPONENT_VIEWS.has(view)
      ? html`<main id="view" key=${key}><${view} ...${props} /></main>`
      : html`<${DomView} key=${key} view=${view} props=${props} />`;
    break;
  }
  return html`<${Header} user=${user} onSignOut=${signOutTo} navigate=${navigate} />${content}`;
}

const root = document.getElementById('app');
root.replaceChildren();
render(html`<${App} />`, root);
labelTables(root);
