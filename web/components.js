// Small components shared by the views (Preact + htm, web/ui.js): a labelled field, a select of
// options, a failure block, a status badge, and the bridge that lets a view still written as DOM
// code (a function `view(main, props)`) live inside the component tree.
import { html, useEffect, useRef, render } from './ui.js';
import { problemMessage } from './dom.js';
import { label, stageLabel } from './labels.js';
import { restoreTyped } from './drafts.js';

let fieldIds = 0;
// <div class=field><label for=…>Label</label> control hint</div>. `id` ties the label to the
// control (pass the same id to the control); one is made up when none is given.
export function Field({ label: text, id, hint, children }) {
  return html`<div class="field">
    <label for=${id}>${text}</label>${children}${hint && html`<small class="muted">${hint}</small>`}
  </div>`;
}
export const newId = () => `c-${++fieldIds}`;

// A <select name=…> of `options` (codes, or [value, text] pairs); `blank` adds a first option ''.
export function Select({ name, id, options, value = '', blank, onChange, disabled }) {
  const all = blank === undefined ? options : [['', blank], ...options];
  return html`<select name=${name} id=${id} onChange=${onChange} disabled=${disabled}>
    ${all.map((o) => {
      const [v, text] = Array.isArray(o) ? o : [o, o];
      return html`<option value=${v} selected=${v === value}>${text}</option>`;
    })}
  </select>`;
}

// A block for something that failed to load.
export function Failure({ error }) {
  return html`<div class="alert" role="alert">${problemMessage(error)}</div>`;
}

// An opportunity's status and stage in words ("With PSV", "PSV — follow-up 1").
export function StatusBadge({ opp, testid }) {
  return html`<span class=${`status s-${opp.status}`} data-testid=${testid} title=${opp.status}>${label(opp.status)}</span>`;
}
export function StageText({ opp, testid }) {
  return html`<span class="stage" data-testid=${testid}>${stageLabel(opp)}</span>`;
}

// A view written as DOM code: `view(main, props)` fills a fresh <main> once, when mounted (the
// router mounts a new one for each visit, so a slow answer for a page the user has left lands in
// a detached element). Preact owns the <main> and never its children. Once the view is drawn,
// what the person was typing before their session ended is put back (drafts.js).
export function DomView({ view, props }) {
  const ref = useRef(null);
  useEffect(() => {
    const main = ref.current;
    Promise.resolve(view(main, props)).then(() => restoreTyped(main, { beside: props.conflict }));
  }, []);
  return html`<main id="view" ref=${ref}></main>`;
}

// The other way round: a component drawn into an element of DOM code; answers the element.
export function mount(vnode, element = document.createElement('div')) {
  render(vnode, element);
  return element;
}
