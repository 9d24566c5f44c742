// The visitor's video call: pre-flight, waiting in the queue, the call itself (document photo, sound-only, PDF), and its end.
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import '../../call/call.css';
import { CallIcon, StreamVideo, formatDuration, percentOf, useElapsed } from '../../call/CallScreenParts.js';
import type { BoothCallStore } from './callState.js';
// pdf.js is loaded only when the agent sends a PDF: it is large and needs a full browser.
const PdfViewer = lazy(() => import('./PdfViewer.js').then((m) => ({ default: m.PdfViewer })));

export interface BoothCallScreenProps {
  organisation: string;
  organisationName: string;
  store: BoothCallStore;
  /** Back to the home screen (after the end message, or at once on cancel). */
  onDone(): void;
  /** Wired by the printing issue: print the PDF the agent sent. */
  onPrintRequested?: (pdfBytes: Uint8Array, title: string) => void;
  /** How long the end message stays before going home. */
  endedReturnMs?: number;
  /** Once answered, the call's controls wait for the agent's first picture at most this long (ms). */
  controlsAfterMs?: number;
  /** Offered when nobody could answer (no agent free, service closed): « Prendre rendez-vous » instead of going home. */
  bookAppointment?: ReactNode;
  /** The booth's appointment this call is for (the home's « Rejoindre »): sent with call.request. */
  appointmentId?: string;
}

/** The ends after which an appointment is offered: the visitor could not reach anybody now. */
const NOBODY_ANSWERED: ReadonlySet<string> = new Set(['no_agent', 'closed']);

/** The call's controls appear with the agent's first picture, or this long after the answer without one. */
export const DEFAULT_CONTROLS_AFTER_MS = 1_000;

export function BoothCallScreen({
  organisation,
  organisationName,
  store,
  onDone,
  onPrintRequested,
  endedReturnMs = 8_000,
  controlsAfterMs = DEFAULT_CONTROLS_AFTER_MS,
  bookAppointment,
  appointmentId,
}: BoothCallScreenProps) {
  const { t } = useTranslation();
  const s = useStore(store);
  const [volume, setVolume] = useState(100);
  const connected = s.phase === 'connected';
  // When the agent answers, only the stage changes (their picture revealed where the visitor's own was); the call's
  // controls, timer and hints follow with the agent's first picture (or after controlsAfterMs without one). Drawing them
  // at the answer took the booth's main thread and CPU at the very moment the connection was being set up.
  // Keyed by the call's start, so a later call starts without controls again.
  const [pictureShownFor, setPictureShownFor] = useState<number | null>(null);
  const startedAt = connected ? s.startedAt : null;
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setTimeout(() => setPictureShownFor(startedAt), controlsAfterMs);
    return () => clearTimeout(timer);
  }, [startedAt, controlsAfterMs]);
  const controls = connected && startedAt !== null && pictureShownFor === startedAt;
  const elapsed = useElapsed(controls ? s.startedAt : null);

  useEffect(() => {
    void store.getState().start(organisation, appointmentId);
    return () => store.getState().reset();
  }, [store, organisation, appointmentId]);

  const offerAppointment = s.phase === 'ended' && bookAppointment !== undefined && NOBODY_ANSWERED.has(s.endCode ?? '');
  useEffect(() => {
    // With an appointment offered the visitor is given time to read and choose (the idle guard goes home later).
    if (s.phase !== 'ended' || offerAppointment) return;
    const timer = setTimeout(onDone, endedReturnMs);
    return () => clearTimeout(timer);
  }, [s.phase, onDone, endedReturnMs, offerAppointment]);

  const leave = () => {
    store.getState().cancel();
    onDone();
  };

  // The screen is the window: the title on top, the picture takes the room the controls beside it (below it on a portrait
  // screen) leave. A document sent by the agent takes the picture's place and the agent's picture moves above the controls.
  const documentShown = controls && s.pdf !== null;
  const staged = s.phase === 'connecting' || s.phase === 'waiting' || connected;
  return (
    <main className="screen call" aria-labelledby="call-title" data-phase={s.phase} data-document={documentShown ? 'shown' : undefined}>
      <h1 id="call-title">{t('call.title', { organisation: organisationName })}</h1>

      {(s.phase === 'idle' || s.phase === 'preflight') && <p role="status">{t('call.preflight.checking')}</p>}

      {s.phase === 'preflight_failed' && s.failure && (
        <>
          <div role="alert">
            <p className="error">{t(`call.preflight.${s.failure}`)}</p>
            <p className="lead">{t('call.preflight.mediatorCalled')}</p>
          </div>
          <button type="button" className="button" onClick={leave}>
            <CallIcon name="close" />
            {t('call.ended.home')}
          </button>
        </>
      )}

      {/* One stage from the queue to the call: the visitor's own picture and the (hidden) remote video stay the same
          elements when the agent answers, so answering redraws little and the first remote frame is not delayed. */}
      {staged && (
        <div className={connected ? 'call__stage' : 'call__preview'}>
          <StreamVideo
            stream={s.remoteStream}
            volume={volume / 100}
            className="call__remote"
            aria-label={t('call.remoteVideo')}
            data-role="remote"
            hidden={!connected}
            onLoadedData={() => {
              const now = store.getState();
              if (now.phase === 'connected' && now.startedAt !== null) setPictureShownFor(now.startedAt);
            }}
          />
          {connected && s.level === 'audio_only' && (
            <div className="call__audio-only">
              <CallIcon name="speaker" />
              {t('call.level.audio_only')}
            </div>
          )}
          <StreamVideo stream={s.localStream} muted className={connected ? 'call__self' : 'call__self call__self--waiting'} aria-label={t('call.selfView')} data-role="self" />
        </div>
      )}

      {connected && (
        // The hub's socket lost mid-call (the media goes on): said over the top of the picture's place, so nothing moves
        // (empty, it has no height and covers nothing); beside the small picture when a document is shown.
        <div role="status" aria-live="polite" className="call__interrupted">
          {s.hubInterrupted && <p className="call__notice">{t('call.hubInterrupted')}</p>}
        </div>
      )}

      {staged && (
        // data-fit-box: the controls must hold in their column at every size (the shell tightens until they do).
        <div className="call__side" data-fit-box="">
          {(s.phase === 'connecting' || s.phase === 'waiting') && (
            <>
              <h2>{t('call.waiting.title')}</h2>
              <div role="status" aria-live="polite" className="call__status">
                {s.phase === 'connecting' && <p>{t('call.connecting')}</p>}
                {s.phase === 'waiting' && s.position !== null && (
                  <p data-testid="queue-position">{s.position <= 1 ? t('call.waiting.first') : t('call.waiting.position', { position: s.position })}</p>
                )}
                {s.phase === 'waiting' && s.estimatedWaitS !== null && <p>{t('call.waiting.estimate', { count: Math.max(1, Math.ceil(s.estimatedWaitS / 60)) })}</p>}
                {s.requeued && <p className="call__notice">{t('call.waiting.requeued')}</p>}
                {(s.hubStatus === 'waiting_retry' || (s.hubStatus === 'connecting' && s.phase === 'waiting')) && <p className="call__notice">{t('call.waiting.reconnecting')}</p>}
              </div>
            </>
          )}
          {connected && <p className="lead">{t('call.with', { name: s.peerName ?? '' })}</p>}

          {/* One red button from the tap until the call's controls are drawn: « Annuler » while waiting, « Raccrocher » once
              answered. The visitor can always leave; the control bar brings its own hang-up button. */}
          {!controls && (
            <button type="button" className="button button--danger call__hangup" onClick={connected ? () => store.getState().hangup() : leave}>
              <CallIcon name={connected ? 'hangup' : 'close'} />
              {connected ? t('call.hangup') : t('call.cancel')}
            </button>
          )}

          {controls && (
            <>
              <div role="status" aria-live="polite" className="call__status" data-level={s.level}>
                {t('call.timer', { time: formatDuration(elapsed) })} — {s.levelManual && s.level === 'audio_only' ? t('call.level.manual') : t(`call.level.${s.level}`)}
              </div>
              <div className="call__bar">
                <button type="button" className="button button--danger call__hangup" onClick={() => store.getState().hangup()}>
                  <CallIcon name="hangup" size={36} />
                  {t('call.hangup')}
                </button>
                <button
                  type="button"
                  className="button button--primary"
                  aria-describedby="call-document-hint"
                  disabled={s.transfer?.state === 'sending'}
                  onClick={() => void store.getState().showDocument()}
                >
                  <CallIcon name="document" />
                  {t('call.showDocument')}
                </button>
                <button type="button" className="button" aria-pressed={s.audioOnly} onClick={() => store.getState().setAudioOnly(!s.audioOnly)}>
                  <CallIcon name={s.audioOnly ? 'camera' : 'speaker'} />
                  {s.audioOnly ? t('call.audioOnlyOff') : t('call.audioOnlyOn')}
                </button>
                <label className="call__volume">
                  <CallIcon name="speaker" />
                  {t('call.volume')}
                  <input type="range" min={0} max={100} step={10} value={volume} onChange={(e) => setVolume(Number(e.target.value))} />
                </label>
              </div>
              <p id="call-document-hint" className="hint">
                {t('call.showDocumentHint')}
              </p>
              {transferStatus()}
            </>
          )}
        </div>
      )}

      {documentShown && s.pdf && (
        <div className="call__doc" data-fit-box="">
          <Suspense fallback={<p role="status">{t('call.pdf.loading')}</p>}>
            <PdfViewer name={s.pdf.name} bytes={s.pdf.bytes} onClose={() => store.getState().closePdf()} {...(onPrintRequested ? { onPrintRequested } : {})} />
          </Suspense>
        </div>
      )}

      {s.phase === 'ended' && (
        <>
          <div role="status" aria-live="polite">
            <h2>{t('call.ended.title')}</h2>
            <p className="lead" data-testid="end-reason" data-code={s.endCode ?? ''}>
              {t(`call.ended.${s.endCode ?? 'hangup_booth'}`)}
            </p>
            {!offerAppointment && <p>{t('call.ended.returning')}</p>}
          </div>
          {offerAppointment && bookAppointment}
          <button type="button" className="button button--primary" onClick={onDone}>
            <CallIcon name="close" />
            {t('call.ended.home')}
          </button>
        </>
      )}
    </main>
  );

  function transferStatus() {
    const tr = s.transfer;
    if (!tr) return <div role="status" aria-live="polite" className="call__status" />;
    const percent = percentOf(tr.done, tr.size);
    let text: string;
    if (tr.state === 'failed') text = t('call.transfer.failed');
    else if (tr.state === 'sending') text = t('call.transfer.sending', { percent });
    else if (tr.state === 'receiving') text = t('call.transfer.receiving', { percent });
    else text = tr.kind === 'photo' ? t('call.transfer.sent') : t('call.transfer.received');
    return (
      <div role="status" aria-live="polite" className="call__status" data-transfer={tr.state} data-sha256={tr.sha256 ?? undefined}>
        <p>{text}</p>
        {(tr.state === 'sending' || tr.state === 'receiving') && <progress className="call__progress" max={100} value={percent} aria-label={text} />}
      </div>
    );
  }
}
