// Small components shared by the views (Preact + htm, web/ui.js): a labelled field, a select of
// options, a failure block, an opportunity's status and stage in words.
import { html } from './ui.js';
import { problemMessage } from './format.js';
import { label, stageLabel } from './labels.js';

// <div class=field><label for=…>Label</label> control hint</div>. `id` ties the label to the
// control (pass the same id to the control). Inside a <Form>, forms.js's FormField also shows
// the field's errors.
export function Field({ label: text, id, hint, children }) {
  return html`<div class="field">
    <label for=${id}>${text}</label>${children}${hint && html`<small class="muted">${hint}</small>`}
  </div>`;
}

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

