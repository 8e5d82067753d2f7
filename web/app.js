// The leadproc web UI: signs the user in, draws the header, and shows the view that the URL's
// hash names (#/, #/opportunities/<id>, #/admin/...). Every view gets a fresh <main> and fills
// it from the API, so a slow answer for a view the user has left lands in a detached element.
import { get, post, session, onUnauthorized } from './api.js';
import { h, userName, failure } from './dom.js';
import { loginView } from './login.js';
import { worklistView } from './worklist.js';
import { opportunityView } from './opportunity.js';
import { adminOpportunitiesView, usersView, availabilitiesView, webUrlsView } from './admin.js';
import { destinationsView } from './admin_destinations.js';
import { routingView } from './admin_routing.js';
import { apiKeysView } from './admin_keys.js';
import { slaView, jobsView } from './admin_reports.js';
import { scoreConfigurationsView } from './admin_scoring.js';

const state = { user: null, notice: null };

const routes = [
  [/^\/$/, worklistView],
  [/^\/opportunities\/([0-9a-f]{24})$/, opportunityView],
  [/^\/admin\/opportunities$/, adminOpportunitiesView, 'ADMIN'],
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

// "#/admin/users?x=1" -> {path: "/admin/users", params: URLSearchParams("x=1")}
function location_() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path, params: new URLSearchParams(query) };
}

export function navigate(path, params) {
  const query = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString() : '';
  location.hash = `#${path}${query ? `?${query}` : ''}`;
}

function signOutTo(notice) {
  session.end();
  state.user = null;
  state.notice = notice;
  if (location.hash !== '#/login') location.hash = '#/login';
  else render();
}

onUnauthorized(() => signOutTo('Your session has ended. Please sign in again.'));

function header() {
  const top = document.getElementById('top');
  top.replaceChildren();
  const nav = h('nav', {});
  if (state.user) {
    const links = state.user.department === 'ADMIN'
      ? [['#/admin/opportunities', 'Opportunities'], ['#/admin/users', 'Users'],
         ['#/admin/availabilities', 'Availabilities'], ['#/admin/weburls', 'Web URLs'],
         ['#/admin/destinations', 'Destinations'], ['#/admin/routing', 'Routing'],
         ['#/admin/api-keys', 'API keys'], ['#/admin/sla', 'SLA'], ['#/admin/jobs', 'Jobs'],
         ['#/admin/scoring', 'Scoring']]
      : [['#/', 'My opportunities']];
    for (const [href, label] of links) nav.append(h('a', { href }, label));
  }
  top.append(h('a', { class: 'brand', href: '#/' }, 'leadproc'), nav);
  if (state.user) {
    top.append(h('div', { class: 'who' },
      h('span', { 'data-testid': 'user-name' }, userName(state.user)),
      h('span', { class: 'badge', 'data-testid': 'user-department' }, state.user.department),
      h('button', {
        type: 'button',
        class: 'link',
        onclick: async () => {
          try {
            await post('/auth/logout');
          } catch {
            // The session is ended here either way.
          }
          signOutTo('You have signed out.');
        },
      }, 'Sign out')));
  }
}

async function render() {
  const main = h('main', { id: 'view' });
  document.getElementById('view').replaceWith(main);
  const { path, params } = location_();

  if (!session.token()) {
    state.user = null;
    header();
    loginView(main, {
      notice: state.notice,
      signedIn: (user) => {
        state.user = user;
        state.notice = null;
        if (location.hash === '#/') render();
        else location.hash = '#/';
      },
    });
    return;
  }
  if (path === '/login') {
    location.hash = '#/';
    return;
  }
  if (!state.user) {
    try {
      state.user = (await get('/auth/me')).user;
    } catch (err) {
      if (session.token()) main.append(failure(err));  // else: onUnauthorized already moved on
      return;
    }
  }
  header();
  if (state.user.department === 'ADMIN' && path === '/') {
    location.hash = '#/admin/opportunities';
    return;
  }
  for (const [pattern, view, department] of routes) {
    const match = path.match(pattern);
    if (!match || (department && state.user.department !== department)) continue;
    view(main, { user: state.user, params, id: match[1], navigate, rerender: render });
    return;
  }
  main.append(h('h1', {}, 'Not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/' }, 'Go home')));
}

window.addEventListener('hashchange', render);
render();
