import { NotificationBell, NotifyProvider } from '@notify/react';
import '@notify/react/styles.css';
import { createRoot } from 'react-dom/client';
import './host.css';
type Tokens = { access_token: string; refresh_token: string };
let tokens: Tokens | null = null;
let refreshing: Promise<Tokens> | null = null;
const post = (path: string, body: object): Promise<Tokens> =>
  fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) =>
    r.ok ? r.json() : Promise.reject(new Error(`${path}: ${r.status}`)),
  );
const token = async (reason: 'connect' | 'refresh') => {
  if (reason === 'refresh' && tokens) {
    tokens = await (refreshing ??= post('/api/auth/refresh', { refresh_token: tokens.refresh_token }).finally(() => (refreshing = null)));
  }
  return tokens?.access_token ?? null;
};
const form = document.querySelector<HTMLFormElement>('#login')!;
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  tokens = await post('/api/auth/login', { username: fields.get('username'), password: fields.get('password') });
  form.hidden = true;
  createRoot(document.querySelector('#bell')!).render(
    <NotifyProvider token={token}>
      <NotificationBell />
    </NotifyProvider>,
  );
});
