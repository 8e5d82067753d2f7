// Forms as components: <Form> runs its `action(data, form)` on submit with the busy state shown
// and shows a failure as the DOM forms of dom.js do (the same markup, so the same tests and
// styles hold): the problem's message in an alert at the top (role=alert; a 412 with a Reload
// button when `onReload` is given), each field error next to the <FormField> of that name
// (`.field-error[data-error-for=name]`), and the errors no field claims in the alert.
import { html, useState, useRef, useEffect, useContext, createContext } from './ui.js';
import { problemMessage } from './format.js';

const FormState = createContext({ errors: [], busy: false });

// True iff the error of API field `field` belongs to the field named `name`: the same name, or,
// for a field that edits a whole structure (`whole`), one of its parts (`slugs[2]`, `phone.number`).
function claims(name, whole, field) {
  return field === name || (whole && (field.startsWith(`${name}.`) || field.startsWith(`${name}[`)));
}

export function Form({ label, class: cls, action, onReload, children, ...rest }) {
  const ref = useRef(null);
  const [state, setState] = useState({ error: null, busy: false });
  const submit = async (event) => {
    event.preventDefault();
    setState({ error: null, busy: true });
    try {
      await action(new FormData(ref.current), ref.current);
      setState({ error: null, busy: false });
    } catch (err) {
      setState({ error: err, busy: false });
    }
  };
  const { error } = state;
  const errors = error?.fieldErrors ?? [];
  // The errors no field of this form claims (read from the fields drawn: data-claims).
  const claimed = [...(ref.current?.querySelectorAll('[data-claims]') ?? [])]
    .map((el) => [el.getAttribute('data-claims'), el.hasAttribute('data-whole')]);
  const unclaimed = errors.filter((e) => !claimed.some(([name, whole]) => claims(name, whole, e.field)));
  return html`<form ref=${ref} class=${cls} aria-label=${label} novalidate onSubmit=${submit} ...${rest}>
    ${error && html`<div class="alert" role="alert">${problemMessage(error)}
      ${unclaimed.map((e) => html`<div>${e.field}: ${e.reason}</div>`)}
      ${error.status === 412 && onReload && html` <button type="button" onClick=${onReload}>Reload</button>`}</div>`}
    <${FormState.Provider} value=${{ errors, busy: state.busy }}>${children}<//>
  </form>`;
}

// The errors of API field `name` (and of its parts with `whole`) in the enclosing <Form>, as
// `.field-error` paragraphs.
export function FieldErrors({ name, whole = false }) {
  const { errors } = useContext(FormState);
  return errors.filter((e) => claims(name, whole, e.field))
    .map((e) => html`<p class="field-error" data-error-for=${e.field}>${e.reason}</p>`);
}

// A labelled field of a <Form> that shows the errors of API field `name` (and of its parts with
// `whole`). The control inside must carry `id`.
export function FormField({ label, id, name, whole = false, hint, children }) {
  return html`<div class="field" data-claims=${name} data-whole=${whole || undefined}>
    <label for=${id}>${label}</label>${children}
    ${hint && html`<small class="muted">${hint}</small>`}
    <${FieldErrors} name=${name} whole=${whole} />
  </div>`;
}

// Field errors that come from elsewhere than a submit (e.g. a report's GET refused with a 422),
// shown by the <FormField>s inside as a <Form> shows its own.
export function ShowFieldErrors({ errors, children }) {
  return html`<${FormState.Provider} value=${{ errors: errors ?? [], busy: false }}>${children}<//>`;
}

// The submit button of a <Form>, disabled while it runs.
export function Submit({ class: cls, children }) {
  const { busy } = useContext(FormState);
  return html`<button type="submit" class=${cls} disabled=${busy}>${children}</button>`;
}

// A button whose action's failure (e.g. a 409) is shown next to it.
export function RowAction({ label, action }) {
  return html`<${Form} class="row-action" action=${action}><${Submit}>${label}<//><//>`;
}

// A button that first asks "question [Yes, label] [Cancel]" in place.
export function ConfirmAction({ label, question, action }) {
  const [asking, setAsking] = useState(false);
  if (!asking) return html`<div class="row-action"><button type="button" class="danger-link" onClick=${() => setAsking(true)}>${label}</button></div>`;
  return html`<div class="row-action"><${Form} class="confirm" label=${`Confirm ${label.toLowerCase()}`} action=${action}>
    <span>${question}</span> <${Submit} class="danger">Yes, ${label.toLowerCase()}<//>
    ${' '}<button type="button" onClick=${() => setAsking(false)}>Cancel</button>
  <//></div>`;
}

// The flash message of admin_common.js (setFlash) as a component: shown once.
export function Flash({ message }) {
  return message ? html`<p class="notice" role="status">${message}</p>` : null;
}

// A secret the server answers once (an API key, a webhook secret): a read-only field selected on
// focus and a Copy button, with `children` saying where it goes; `onDone` dismisses it.
export function OneTimeSecret({ title, label, value, testid, doneLabel, onDone, children }) {
  const input = useRef(null);
  const [copied, setCopied] = useState('');
  useEffect(() => input.current.focus(), []);
  const copy = async () => {
    input.current.focus();
    input.current.select();
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };
  return html`<section class="card secret" aria-label=${label}>
    <h2>${title}</h2>
    ${children}
    <div class="copy">
      <input ref=${input} readOnly value=${value} aria-label=${label} data-testid=${testid} spellcheck="false"
        onFocus=${(e) => e.currentTarget.select()} />
      <button type="button" onClick=${copy}>Copy</button>
    </div>
    <span class="muted" role="status">${copied}</span>
    <p><button type="button" onClick=${onDone}>${doneLabel}</button></p>
  </section>`;
}
