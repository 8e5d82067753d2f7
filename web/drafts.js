// What a person was typing survives a page being drawn again: when their session ends mid-edit
// (kept in sessionStorage, restored on the same page after signing in again) and when they reload
// an opportunity after a 412 conflict (restored beside the latest saved values, so they can merge
// by hand). A typed value is keyed by the route, the region and form it is in, and its control's
// name; only text a person typed (a value that differs from what the page drew) is kept, never a
// password. Kept text is put back only for the same person (whoever signs in next on a shared
// tab does not see it), and dropped when someone signs out.
const KEY = 'leadproc.drafts';

function controls(root) {
  return [...root.querySelectorAll('form input, form textarea')].filter((c) =>
    c.name && !['password', 'hidden', 'checkbox', 'radio', 'submit', 'button', 'search'].includes(c.type));
}

function keyOf(control) {
  const region = control.closest('section[aria-label]')?.getAttribute('aria-label') ?? '';
  const form = control.form?.getAttribute('aria-label') ?? '';
  return `${region}|${form}|${control.name}`;
}

// Keeps what `userId` typed in the forms under `root` (the view) for the current route.
export function keepTyped(root, userId) {
  const typed = {};
  for (const c of controls(root)) if (c.value !== c.defaultValue && c.value.trim() !== '') typed[keyOf(c)] = c.value;
  if (Object.keys(typed).length === 0) return;
  sessionStorage.setItem(KEY, JSON.stringify({ route: location.hash, user: userId, typed }));
}

// Forgets what was kept (signing out).
export function dropTyped() {
  sessionStorage.removeItem(KEY);
}

// Puts back what keepTyped kept for this route into the forms under `root`, opening a folded
// section that holds one; with `beside`, each restored control says what the page now holds
// ("Saved now: …") when that differs. Answers how many were restored.
export function restoreTyped(root, userId, { beside = false } = {}) {
  const kept = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  if (!kept || kept.route !== location.hash) return 0;
  sessionStorage.removeItem(KEY);
  if (kept.user !== userId) return 0;
  let restored = 0;
  for (const c of controls(root)) {
    const value = kept.typed[keyOf(c)];
    if (value === undefined || value === c.value) continue;
    const latest = c.value;
    c.value = value;
    c.dispatchEvent(new Event('input', { bubbles: true }));
    c.closest('details')?.setAttribute('open', '');
    if (beside) {
      const note = document.createElement('small');
      note.className = 'latest';
      note.dataset.latestFor = c.name;
      note.textContent = `Saved now: ${latest === '' ? '(empty)' : latest}`;
      c.after(note);
    }
    restored += 1;
  }
  return restored;
}
