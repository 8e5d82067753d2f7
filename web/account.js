// The signed-in person's own account (#/account): change their password (POST
// /api/v1/auth/password with the current one; docs/api-auth.md). The API ends the person's other
// sessions; this one stays signed in.
import { html, useState } from './ui.js';
import { post, ApiError } from './api.js';
import { Field } from './components.js';
import { problemMessage, userName } from './format.js';

export function Account({ user }) {
  const [state, setState] = useState({ busy: false, error: null, done: false });
  const submit = async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    if (data.get('newPassword') !== data.get('repeatPassword')) {
      setState({ busy: false, error: { fields: { repeatPassword: 'does not match the new password' } }, done: false });
      return;
    }
    setState({ busy: true, error: null, done: false });
    try {
      await post('/auth/password', { currentPassword: data.get('currentPassword'), newPassword: data.get('newPassword') });
      form.reset();
      setState({ busy: false, error: null, done: true });
    } catch (err) {
      const fields = Object.fromEntries((err instanceof ApiError ? err.fieldErrors : []).map((e) => [e.field, e.reason]));
      setState({ busy: false, error: { message: problemMessage(err), fields }, done: false });
    }
  };
  const fieldError = (name) => state.error?.fields?.[name]
    && html`<p class="field-error" data-error-for=${name}>${state.error.fields[name]}</p>`;
  return html`<h1>Your account</h1>
    <p>${userName(user)} · ${user.email} · ${user.department}</p>
    <form class="card narrow-form" aria-label="Change password" onSubmit=${submit}>
      <h2>Change password</h2>
      ${state.error?.message && html`<div class="alert" role="alert">${state.error.message}</div>`}
      ${state.done && html`<p class="notice" role="status">Your password is changed. Your other sessions have ended.</p>`}
      <${Field} label="Current password" id="pw-current">
        <input id="pw-current" name="currentPassword" type="password" autocomplete="current-password" required
          aria-invalid=${state.error?.fields?.currentPassword ? 'true' : null} />${fieldError('currentPassword')}<//>
      <${Field} label="New password" id="pw-new" hint="10 to 72 characters of at least two kinds">
        <input id="pw-new" name="newPassword" type="password" autocomplete="new-password" required
          aria-invalid=${state.error?.fields?.newPassword ? 'true' : null} />${fieldError('newPassword')}<//>
      <${Field} label="New password again" id="pw-repeat">
        <input id="pw-repeat" name="repeatPassword" type="password" autocomplete="new-password" required />${fieldError('repeatPassword')}<//>
      <button type="submit" disabled=${state.busy}>Change password</button>
    </form>`;
}
