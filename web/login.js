// Sign in: POST /api/v1/auth/login; the session cookie (or, from a server without one, the token
// kept for the tab) signs in the calls that follow (api.js session).
import { html, useState } from './ui.js';
import { post, session } from './api.js';
import { Field, Failure } from './components.js';

export function Login({ notice, signedIn }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const answer = await post('/auth/login', { email: data.get('email'), password: data.get('password') });
      await session.start(answer.token);
      signedIn(answer.user);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<main id="view">
    <form class="card narrow" aria-label="Sign in" onSubmit=${submit}>
      ${error && html`<${Failure} error=${error} />`}
      <h1>Sign in</h1>
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      <${Field} label="Email" id="login-email">
        <input id="login-email" name="email" type="email" autocomplete="username" required autofocus />
      <//>
      <${Field} label="Password" id="login-password">
        <input id="login-password" name="password" type="password" autocomplete="current-password" required />
      <//>
      <button type="submit" disabled=${busy}>Sign in</button>
    </form>
  </main>`;
}
