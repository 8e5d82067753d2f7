// The header of every page: the brand, the search box, the signed-in person's links, who they are
// and "Sign out". On a narrow screen (a phone) the links and "Sign out" fold behind a "Menu" button
// (style.css), so the header never makes the page wider than the screen.
import { html, useState, useEffect } from './ui.js';
import { post } from './api.js';
import { userName } from './format.js';
import { SearchBox } from './search.js';
import { LiveStatus } from './live.js';
import { WorkToggle } from './work.js';

const ADMIN_LINKS = [
  ['#/admin/opportunities', 'Opportunities'], ['#/board', 'Pipeline'], ['#/admin/users', 'Users'],
  ['#/admin/availabilities', 'Availabilities'], ['#/admin/weburls', 'Web URLs'],
  ['#/admin/destinations', 'Destinations'], ['#/admin/routing', 'Routing'],
  ['#/admin/api-keys', 'API keys'], ['#/admin/webhooks', 'Webhooks'],
  ['#/admin/sources', 'Lead sources'], ['#/reports', 'Reports'],
  ['#/admin/sla', 'SLA'], ['#/admin/sla-policies', 'Escalations'], ['#/admin/jobs', 'Jobs'], ['#/admin/scoring', 'Scoring'],
];
const WORKER_LINKS = [['#/', 'My opportunities'], ['#/reports', 'My numbers']];
// Sales persons work the CRM pipeline: the board of their opportunities (board.js).
const SALES_LINKS = [...WORKER_LINKS, ['#/board', 'Pipeline']];

export function Header({ user, onSignOut, navigate }) {
  const [open, setOpen] = useState(false);
  // A link followed closes the menu.
  useEffect(() => {
    const close = () => setOpen(false);
    window.addEventListener('hashchange', close);
    return () => window.removeEventListener('hashchange', close);
  }, []);
  const signOut = async () => {
    try {
      await post('/auth/logout');
    } catch {
      // The session is ended here either way.
    }
    onSignOut('You have signed out.');
  };
  const links = !user ? [] : user.department === 'ADMIN' ? ADMIN_LINKS
    : user.department === 'SALES' ? SALES_LINKS : WORKER_LINKS;
  return html`<header id="top" class=${open ? 'open' : ''}>
    <a class="brand" href="#/">leadproc</a>
    ${user && html`<${LiveStatus} user=${user} />`}
    ${user && html`<button type="button" class="menu-toggle" aria-expanded=${open ? 'true' : 'false'}
      aria-controls="menu" onClick=${() => setOpen(!open)}>Menu</button>`}
    ${user && html`<${SearchBox} navigate=${navigate} />`}
    <div class="menu" id="menu">
      <nav>${links.map(([href, text]) => html`<a href=${href}>${text}</a>`)}</nav>
      ${user && html`<div class="who">
        <span data-testid="user-name">${userName(user)}</span>
        <span class="badge" data-testid="user-department">${user.department}</span>
        ${user.department !== 'ADMIN' && html`<${WorkToggle} />`}
        <a href="#/account">Change password</a>
        <button type="button" class="link" onClick=${signOut}>Sign out</button>
      </div>`}
    </div>
  </header>`;
}
