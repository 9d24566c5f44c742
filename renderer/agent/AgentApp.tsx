// The agents' console: sign in, availability, ringing calls with site and organisation, the call, photos received, PDF to print.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import '../call/call.css';
import { CallIcon, StreamVideo, formatDuration, percentOf, useElapsed } from '../call/CallScreenParts.js';
import type { AgentStore, ReceivedPhoto } from './agentStore.js';
import type { AgentAppointmentsStore } from './appointments/agentAppointmentsStore.js';
import { ConsoleViews, RingingAppointment, RingingAppointmentDetails } from './appointments/AppointmentsView.js';
import { setAgentLocale } from './i18n.js';

/** `appointments`: the agent's appointments (the « Rendez-vous » view and a ringing appointment's subject and note). */
export function AgentApp({ store, appointments }: { store: AgentStore; appointments?: AgentAppointmentsStore }) {
  const { t, i18n } = useTranslation();
  const s = useStore(store);
  const other = i18n.language === 'en' ? 'fr' : 'en';
  return (
    <div className="agent">
      <header className="agent__top">
        <h1>{t('agent.title')}</h1>
        {s.demo && <span className="badge badge--demo">{t('agent.login.demo')}</span>}
        <div className="agent__right">
          {s.phase === 'ready' && (
            <span role="status" aria-live="polite" data-hub={s.hubStatus}>
              {s.hubStatus === 'ready' ? `${s.name ?? ''} — ${t('agent.connection.ready')}` : t('agent.connection.reconnecting')}
            </span>
          )}
          <button type="button" className="button button--small" lang={other} onClick={() => setAgentLocale(other)}>
            {other === 'en' ? 'English' : 'Français'}
          </button>
          {s.phase === 'ready' && (
            <button type="button" className="button button--small" onClick={() => s.logout()}>
              {t('agent.logout')}
            </button>
          )}
        </div>
      </header>
      {s.phase === 'ready' ? <Desk store={store} {...(appointments ? { appointments } : {})} /> : <Login store={store} />}
    </div>
  );
}

function Login({ store }: { store: AgentStore }) {
  const { t } = useTranslation();
  const s = useStore(store);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    s.login(login.trim(), password);
  };
  return (
    <main>
      <h2>{t('agent.login.title')}</h2>
      <form className="login-form" onSubmit={submit}>
        <label htmlFor="agent-login">{t('agent.login.login')}</label>
        <input id="agent-login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required />
        <label htmlFor="agent-password">{t('agent.login.password')}</label>
        <input id="agent-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        <button type="submit" className="button button--primary" disabled={s.phase === 'connecting'}>
          {t('agent.login.submit')}
        </button>
        <div role="alert">{s.loginError && <p className="error">{t(`agent.login.${s.loginError}`)}</p>}</div>
      </form>
    </main>
  );
}

function Desk({ store, appointments }: { store: AgentStore; appointments?: AgentAppointmentsStore }) {
  const { t } = useTranslation();
  const s = useStore(store);
  const desk = (
    <main className="agent__layout">
      <section aria-labelledby="agent-call-title">
        <h2 id="agent-call-title" className="visually-hidden">
          {t('agent.ringing.title')}
        </h2>
        <fieldset className="actions">
          <legend>{t('agent.status.label')}</legend>
          {(['available', 'away'] as const).map((st) => (
            <button key={st} type="button" className="button" aria-pressed={s.availability === st} onClick={() => s.setAvailability(st)}>
              {t(`agent.status.${st}`)}
            </button>
          ))}
        </fieldset>
        <p role="status" aria-live="polite">
          {t('agent.queue', { count: s.waiting })}
        </p>
        {s.cameraReady && !s.call && (
          <p className="call__notice" data-testid="agent-camera-ready">
            <CallIcon name="camera" />
            {t('agent.cameraReady')}
          </p>
        )}
        {s.ended && (
          <p role="status" className="call__notice" data-testid="agent-ended" data-code={s.ended}>
            {t(`agent.ended.${s.ended}`)}
          </p>
        )}
        {s.call ? <InCall store={store} /> : <Ringing store={store} {...(appointments ? { appointments } : {})} />}
      </section>
      <Photos photos={s.photos} />
    </main>
  );
  if (!appointments) return desk;
  return <ConsoleViews store={appointments} calls={desk} ringing={<Ringing store={store} appointments={appointments} />} inCall={s.call !== null} />;
}

function Ringing({ store, appointments }: { store: AgentStore; appointments?: AgentAppointmentsStore }) {
  const { t } = useTranslation();
  const s = useStore(store);
  if (s.ringing.length === 0) return <p>{t('agent.noCall')}</p>;
  return (
    <ul className="agent__photos" aria-live="assertive">
      {s.ringing.map((r) => (
        <li key={r.callId} className="agent__ringing" data-call={r.callId}>
          <strong>{t('agent.ringing.title')}</strong>
          <span>{t('agent.ringing.from', { site: r.siteName, organisation: r.organisation })}</span>
          {r.appointmentId &&
            (appointments ? <RingingAppointment store={appointments} appointmentId={r.appointmentId} details={r.appointment} /> : <RingingAppointmentDetails details={r.appointment ?? null} />)}
          <div className="call__bar">
            <button type="button" className="button button--primary" disabled={s.accepting !== null} onClick={() => void s.accept(r.callId)}>
              <CallIcon name="phone" />
              {t('agent.ringing.accept')}
            </button>
            <button type="button" className="button" onClick={() => s.decline(r.callId)}>
              <CallIcon name="close" />
              {t('agent.ringing.decline')}
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}

function InCall({ store }: { store: AgentStore }) {
  const { t } = useTranslation();
  const s = useStore(store);
  const call = s.call;
  const fileInput = useRef<HTMLInputElement>(null);
  const elapsed = useElapsed(call?.startedAt ?? null);
  if (!call) return null;
  const tr = s.transfer;
  return (
    <div className="call" data-testid="agent-call">
      <p className="lead">{t('agent.call.with', { site: call.site })}</p>
      <div className="call__stage">
        <StreamVideo stream={call.remoteStream} className="call__remote" aria-label={t('agent.call.remote')} data-role="remote" />
        {call.level === 'audio_only' && (
          <div className="call__audio-only">
            <CallIcon name="speaker" />
            {t('call.level.audio_only')}
          </div>
        )}
        <div role="status" aria-live="polite" className="call__interrupted">
          {s.hubInterrupted && <p className="call__notice">{t('agent.call.hubInterrupted')}</p>}
        </div>
        <StreamVideo stream={call.localStream} muted className="call__self" aria-label={t('agent.call.self')} data-role="self" />
      </div>
      <p role="status" aria-live="polite" className="call__status" data-level={call.level}>
        {t('agent.call.timer', { time: formatDuration(elapsed) })} — {call.levelManual && call.level === 'audio_only' ? t('call.level.manual') : t(`call.level.${call.level}`)}
      </p>
      <div className="call__bar">
        <button type="button" className="button button--danger call__hangup" onClick={() => s.hangup()}>
          <CallIcon name="hangup" size={36} />
          {t('agent.call.hangup')}
        </button>
        <button type="button" className="button" aria-pressed={call.muted} onClick={() => s.toggleMute()}>
          <CallIcon name={call.muted ? 'micOff' : 'mic'} />
          {call.muted ? t('agent.call.unmute') : t('agent.call.mute')}
        </button>
        <button type="button" className="button" aria-pressed={call.cameraOff} onClick={() => s.toggleCamera()}>
          <CallIcon name={call.cameraOff ? 'cameraOff' : 'camera'} />
          {call.cameraOff ? t('agent.call.cameraOn') : t('agent.call.cameraOff')}
        </button>
        <button type="button" className="button" aria-pressed={call.audioOnly} onClick={() => s.setAudioOnly(!call.audioOnly)}>
          <CallIcon name="speaker" />
          {call.audioOnly ? t('agent.call.audioOnlyOff') : t('agent.call.audioOnlyOn')}
        </button>
        <button type="button" className="button button--primary" onClick={() => fileInput.current?.click()}>
          <CallIcon name="print" />
          {t('agent.sendPdf.button')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/pdf"
          hidden
          data-testid="pdf-input"
          aria-label={t('agent.sendPdf.button')}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void file.arrayBuffer().then((b) => s.sendPdf(file.name, new Uint8Array(b)));
          }}
        />
      </div>
      <div role="status" aria-live="polite" className="call__status" data-transfer={tr ? `${tr.direction}-${tr.state}` : ''}>
        {tr?.direction === 'out' && tr.state === 'active' && t('agent.sendPdf.sending', { percent: percentOf(tr.done, tr.size) })}
        {tr?.direction === 'out' && tr.state === 'verified' && t('agent.sendPdf.sent')}
        {tr?.direction === 'out' && tr.state === 'failed' &&
          (tr.reason === 'NOT_PDF' ? t('agent.sendPdf.notPdf') : tr.reason === 'TOO_LARGE' ? t('agent.sendPdf.tooLarge') : t('agent.sendPdf.failed'))}
        {tr?.direction === 'in' && tr.state === 'active' && t('call.transfer.receiving', { percent: percentOf(tr.done, tr.size) })}
        {tr?.direction === 'in' && tr.state === 'failed' && t('call.transfer.failed')}
        {tr?.state === 'active' && <progress className="call__progress" max={100} value={percentOf(tr.done, tr.size)} aria-label={tr.name} />}
      </div>
    </div>
  );
}

function Photos({ photos }: { photos: ReceivedPhoto[] }) {
  const { t } = useTranslation();
  const [zoomed, setZoomed] = useState<number | null>(null);
  const photo = zoomed === null ? undefined : photos[zoomed];
  return (
    <aside aria-labelledby="agent-photos-title">
      <h2 id="agent-photos-title">{t('agent.photos.title')}</h2>
      {photos.length === 0 && <p>{t('agent.photos.none')}</p>}
      <ul className="agent__photos">
        {photos.map((p, i) => (
          <li key={p.id} data-sha256={p.sha256} data-size={p.size}>
            <img src={p.url} alt={t('agent.photos.photo', { n: i + 1 })} />
            <div className="call__bar">
              <button type="button" className="button button--small" onClick={() => setZoomed(i)}>
                <CallIcon name="zoom" />
                {t('agent.photos.zoom', { n: i + 1 })}
              </button>
              <a className="button button--small" href={p.url} download={p.name}>
                <CallIcon name="download" />
                {t('agent.photos.download')}
              </a>
            </div>
          </li>
        ))}
      </ul>
      {photo && (
        <div className="agent__zoom" role="dialog" aria-modal="true" aria-label={t('agent.photos.photo', { n: (zoomed ?? 0) + 1 })}>
          <img src={photo.url} alt={t('agent.photos.photo', { n: (zoomed ?? 0) + 1 })} />
          <button type="button" className="button" autoFocus onClick={() => setZoomed(null)}>
            <CallIcon name="close" />
            {t('agent.photos.close')}
          </button>
        </div>
      )}
    </aside>
  );
}
