// The coordinator's sign-in form: login and password against the hub, a French error for a wrong pair, too many
// tries, or a hub that cannot check them now (its database restarting).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { coordinatorApi as api } from './coordinatorApi.js';

/** `views`: the dashboard's views the hub serves, as its answer lists them. */
export function LoginForm({ onSignedIn }: { onSignedIn: (login: string, views: unknown) => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    api('login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }) })
      .then(async (r) => {
        const body = (await r.json().catch(() => ({}))) as { login?: string; views?: unknown; retryAfterS?: number };
        if (r.ok && body.login) onSignedIn(body.login, body.views);
        else if (r.status === 429) setError(t('coordinator.tooMany', { seconds: body.retryAfterS ?? 60 }));
        // The hub answers but cannot check the password now (its database restarting): not the coordinator's mistake.
        else if (r.status >= 500) setError(t('coordinator.unavailable'));
        else setError(t('coordinator.wrongCredentials'));
      })
      .catch(() => setError(t('coordinator.failed')));
  };
  return (
    <main className="coord" aria-labelledby="login-title">
      <h1 id="login-title">{t('coordinator.loginTitle')}</h1>
      <form className="coord-form" onSubmit={submit}>
        <label className="coord-field">
          <span>{t('coordinator.login')}</span>
          <input name="login" autoComplete="username" required value={login} onChange={(e) => setLogin(e.target.value)} />
        </label>
        <label className="coord-field">
          <span>{t('coordinator.password')}</span>
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <p className="error" role="alert">
          {error}
        </p>
        <button type="submit" className="button button--primary">
          {t('coordinator.signIn')}
        </button>
      </form>
    </main>
  );
}
