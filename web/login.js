// Sign in: POST /api/v1/auth/login, then the token is kept for the tab (sessionStorage).
import { post, session } from './api.js';
import { h, field, onSubmit } from './dom.js';

export function loginView(main, { notice, signedIn }) {
  const form = h('form', { class: 'card narrow', 'aria-label': 'Sign in' },
    h('h1', {}, 'Sign in'),
    notice && h('p', { class: 'notice', role: 'status' }, notice),
    field('Email', h('input', { name: 'email', type: 'email', autocomplete: 'username', required: true, autofocus: true })),
    field('Password', h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit' }, 'Sign in'));
  onSubmit(form, async (data) => {
    const answer = await post('/auth/login', { email: data.get('email'), password: data.get('password') });
    session.start(answer.token);
    signedIn(answer.user);
  });
  main.append(form);
}
