// Keyboard shortcuts of every page: `/` focuses the search box, `j`/`k` move to the next and
// previous row of the list on the page (a table marked data-keyboard-list, whose rows are
// focusable: the focused row is outlined), `o` or Enter opens the focused row, `?` shows the
// shortcuts in a dialog, and Esc closes it. A key typed into a field (input, select, textarea,
// editable text) or with Ctrl, Alt or Meta is never taken. Installed once, when first imported
// (worklist.js imports it, so every page has it).
const SHORTCUTS = [
  ['/', 'Search'],
  ['j', 'Next row of the list'],
  ['k', 'Previous row of the list'],
  ['o or Enter', 'Open the row'],
  ['?', 'Show these shortcuts'],
  ['Esc', 'Close this dialog'],
];

const typing = (target) => target instanceof Element
  && Boolean(target.closest('input, select, textarea, [contenteditable]:not([contenteditable="false"])'));

const rows = () => [...document.querySelectorAll('#view table[data-keyboard-list] > tbody > tr[data-id]')];
const focusedRow = () => document.activeElement?.closest?.('table[data-keyboard-list] > tbody > tr[data-id]') ?? null;

function move(step) {
  const all = rows();
  if (all.length === 0) return;
  const at = all.indexOf(focusedRow());
  const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
  all[next].focus();
  all[next].scrollIntoView({ block: 'nearest' });
}

function dialog() {
  let d = document.getElementById('shortcuts');
  if (d) return d;
  d = document.createElement('dialog');
  d.id = 'shortcuts';
  d.setAttribute('aria-labelledby', 'shortcuts-title');
  const title = document.createElement('h2');
  title.id = 'shortcuts-title';
  title.textContent = 'Keyboard shortcuts';
  const list = document.createElement('dl');
  for (const [key, what] of SHORTCUTS) {
    const dt = document.createElement('dt');
    const kbd = document.createElement('kbd');
    kbd.textContent = key;
    dt.append(kbd);
    const dd = document.createElement('dd');
    dd.textContent = what;
    list.append(dt, dd);
  }
  const form = document.createElement('form');
  form.method = 'dialog';
  const close = document.createElement('button');
  close.textContent = 'Close';
  form.append(close);
  d.append(title, list, form);
  document.body.append(d);
  return d;
}

// Opens the shortcuts dialog (modal: Esc or "Close" closes it and focus returns).
export function showShortcuts() {
  const d = dialog();
  if (!d.open) d.showModal();
}

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  if (document.getElementById('shortcuts')?.open) return;  // the dialog's own keys (Esc)
  const row = focusedRow();
  switch (e.key) {
    case '/': {
      const search = document.querySelector('header form[role="search"] input');
      if (!search) return;
      e.preventDefault();
      search.focus();
      return;
    }
    case 'j':
    case 'k':
      e.preventDefault();
      move(e.key === 'j' ? 1 : -1);
      return;
    case 'o':
    case 'Enter':
      // Enter on a link or button does its own thing; on a focused row it opens the row.
      if (!row || (e.key === 'Enter' && e.target !== row)) return;
      e.preventDefault();
      row.querySelector('a[href]')?.click();
      return;
    case '?':
      e.preventDefault();
      showShortcuts();
      return;
    default:
  }
}

if (!window.leadprocShortcuts) {
  window.leadprocShortcuts = true;
  document.addEventListener('keydown', onKey);
}
