// The mediator's "Imprimante et appareils" tab: the printer's state in plain French and its queue (retry, cancel), the
// printer choice, a test page; the hub, the free disk, the camera and microphone (with a live test and a level meter);
// the document camera used by « Montrer un document » (none = the call camera), with a live preview.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthState, PrinterSummary, PrintJob, RefusedForm } from '../../../shared/contract.js';
import { getBridge, unwrap } from '../../bridge/index.js';
import { formatDecimal, formatTime } from '../../i18n/format.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import { usePrinterState } from './PrintScreenParts.js';
import { PrintIcon } from './icons.js';
import { usePrintingStore } from './printingStore.js';

const ACTIVE: ReadonlySet<PrintJob['state']> = new Set(['waiting', 'pending', 'processing', 'stopped']);

/** Counts the cameras and microphones the browser sees and tells main (for the health panel). */
export async function reportDevices(): Promise<{ cameras: number; microphones: number }> {
  const list = navigator.mediaDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  const counts = { cameras: list.filter((d) => d.kind === 'videoinput').length, microphones: list.filter((d) => d.kind === 'audioinput').length };
  await unwrap(getBridge().health.reportDevices(counts));
  return counts;
}

function PrinterPanel() {
  const { t, i18n } = useTranslation();
  const state = usePrinterState();
  const eventJobs = usePrintingStore((s) => s.jobs);
  const [jobs, setJobs] = useState<PrintJob[]>([]);
  const [printers, setPrinters] = useState<PrinterSummary[] | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const relais = getBridge();

  const loadJobs = useCallback(() => {
    unwrap(relais.printing.jobs({}))
      .then(setJobs)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [relais]);
  useEffect(() => loadJobs(), [loadJobs, eventJobs]);

  const act = (p: Promise<unknown>) => {
    setError(null);
    p.then(loadJobs).catch((cause: unknown) => setError(toUiError(cause)));
  };

  return (
    <section aria-labelledby="printer-title" data-testid="printer-panel">
      <h2 id="printer-title">
        <PrintIcon name="print" /> {t('printing.printerTitle')}
      </h2>
      <p>
        {state?.printer ? t('printing.printer', { name: state.printer }) : t('printing.noPrinter')}
        {state && ` — ${t(`printing.status.${state.status}`)}`}
      </p>
      <div role="status" aria-live="polite" data-testid="printer-reasons" data-reasons={state?.reasons.join(' ') ?? ''}>
        {state && state.reasons.length === 0 && <p>{t('printing.ready')}</p>}
        {state && state.reasons.length > 0 && (
          <ul className="printer-reasons">
            {state.reasons.map((r) => (
              <li key={r}>
                <PrintIcon name="warning" size={20} /> {t(`printing.reasons.${r}.mediator`)}
              </li>
            ))}
          </ul>
        )}
        {state?.message && <p><small>{t('printing.details', { message: state.message })}</small></p>}
      </div>
      <div className="actions">
        <button type="button" className="button" onClick={() => act(unwrap(relais.printing.testPage({})))}>
          <PrintIcon name="print" />
          {t('printing.testPage')}
        </button>
        <button type="button" className="button" onClick={() => act(unwrap(relais.printing.printers({})).then(setPrinters))}>
          {t('printing.choosePrinter')}
        </button>
      </div>
      {printers && (
        <ul className="print-list" role="list" aria-label={t('printing.choosePrinter')}>
          {printers.map((p) => (
            <li key={p.name}>
              <button
                type="button"
                className="button"
                aria-current={p.name === state?.printer ? 'true' : undefined}
                onClick={() => act(unwrap(relais.printing.selectPrinter({ name: p.name })).then(() => setPrinters(null)))}
              >
                {t('printing.choose')} : {p.name} {p.info ? `(${p.info})` : ''} — {t(`printing.status.${p.status}`)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorText error={error} />
      <h3>{t('printing.queue')}</h3>
      {jobs.length === 0 ? (
        <p>{t('printing.noJobs')}</p>
      ) : (
        <table className="table" data-testid="print-jobs">
          <thead>
            <tr>
              <th scope="col">{t('printing.queueColumns.time')}</th>
              <th scope="col">{t('printing.queueColumns.document')}</th>
              <th scope="col">{t('printing.queueColumns.copies')}</th>
              <th scope="col">{t('printing.queueColumns.state')}</th>
              <th scope="col">{t('printing.queueColumns.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.slice(0, 15).map((j) => (
              <tr key={j.id} data-job={j.id} data-state={j.state}>
                <td>{formatTime(j.createdAt, i18n.language)}</td>
                <td>{j.title}</td>
                <td>{j.copies}</td>
                <td>
                  {t(`printing.jobStates.${j.state}`)}
                  {j.message === 'content-lost' && <small> — {t('printing.contentLost')}</small>}
                </td>
                <td>
                  {ACTIVE.has(j.state) && (
                    <>
                      <button type="button" className="button" onClick={() => act(unwrap(relais.printing.retry({ id: j.id })))}>
                        {t('printing.retry')}
                      </button>
                      <button type="button" className="button" onClick={() => act(unwrap(relais.printing.cancel({ id: j.id })))}>
                        {t('printing.cancel')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function MediaTest() {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [level, setLevel] = useState(0);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!stream) return;
    if (video.current) video.current.srcObject = stream;
    let frame = 0;
    let context: AudioContext | null = null;
    if (stream.getAudioTracks().length > 0 && typeof AudioContext !== 'undefined') {
      context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 512;
      context.createMediaStreamSource(stream).connect(analyser);
      const data = new Uint8Array(analyser.fftSize);
      const tick = () => {
        analyser.getByteTimeDomainData(data);
        let peak = 0;
        for (const v of data) peak = Math.max(peak, Math.abs(v - 128));
        setLevel(Math.min(100, Math.round((peak / 128) * 100)));
        frame = requestAnimationFrame(tick);
      };
      tick();
    }
    return () => {
      cancelAnimationFrame(frame);
      void context?.close();
      for (const track of stream.getTracks()) track.stop();
    };
  }, [stream]);

  const start = async () => {
    setFailed(false);
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: true, audio: true }));
    } catch {
      setFailed(true);
    }
  };

  return (
    <div>
      {stream ? (
        <>
          <video ref={video} className="media-preview" autoPlay muted playsInline aria-label={t('health.preview')} data-testid="media-preview" />
          <label>
            {t('health.level')}
            <meter className="level-meter" min={0} max={100} value={level} data-testid="level-meter" />
          </label>
          <button type="button" className="button" onClick={() => setStream(null)}>
            {t('health.stopTest')}
          </button>
        </>
      ) : (
        <button type="button" className="button" onClick={() => void start()}>
          <PrintIcon name="camera" />
          {t('health.mediaTest')}
        </button>
      )}
      {failed && (
        <p role="alert" className="error">
          {t('health.mediaError')}
        </p>
      )}
    </div>
  );
}

function HealthPanel() {
  const { t, i18n } = useTranslation();
  const [health, setHealth] = useState<HealthState | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const load = useCallback(() => {
    reportDevices()
      .catch(() => undefined)
      .then(() => unwrap(getBridge().health.state({})))
      .then(setHealth)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, []);
  useEffect(() => load(), [load]);
  const gb = (bytes: number) => formatDecimal(bytes / 1e9, i18n.language);
  const device = (n: number | undefined) => (n === undefined ? t('health.unknown') : n > 0 ? t('health.present', { n }) : t('health.absent'));
  return (
    <section aria-labelledby="health-title" data-testid="health-panel">
      <h2 id="health-title">{t('health.title')}</h2>
      <ErrorText error={error} />
      <dl className="health-list">
        <dt>
          <PrintIcon name="network" size={22} />
          {t('health.hub')}
        </dt>
        <dd data-testid="health-hub">{!health?.hub ? t('health.hubNone') : health.hub.reachable ? t('health.hubOk', { ms: health.hub.latencyMs ?? 0 }) : t('health.hubKo')}</dd>
        <dt>
          <PrintIcon name="disk" size={22} />
          {t('health.disk')}
        </dt>
        <dd data-testid="health-disk">
          {health?.disk ? t('health.diskValue', { free: gb(health.disk.freeBytes), total: gb(health.disk.totalBytes) }) : t('health.unknown')}
          {health?.disk && health.disk.freeBytes < 2e9 && <strong> {t('health.diskLow')}</strong>}
        </dd>
        <dt>
          <PrintIcon name="camera" size={22} />
          {t('health.camera')}
        </dt>
        <dd data-testid="health-camera">{device(health?.devices?.cameras)}</dd>
        <dt>
          <PrintIcon name="mic" size={22} />
          {t('health.microphone')}
        </dt>
        <dd data-testid="health-microphone">{device(health?.devices?.microphones)}</dd>
      </dl>
      <button type="button" className="button" onClick={load}>
        {t('health.refresh')}
      </button>
      <MediaTest />
    </section>
  );
}

export interface VideoInput {
  deviceId: string;
  label: string;
}

/** The cameras the browser sees, in its order; ids and labels are empty strings until camera access was allowed. */
export async function listVideoInputs(media: MediaDevices | undefined = globalThis.navigator?.mediaDevices): Promise<VideoInput[]> {
  if (!media?.enumerateDevices) return [];
  const list = await media.enumerateDevices();
  return list.filter((d) => d.kind === 'videoinput').map((d) => ({ deviceId: d.deviceId, label: d.label }));
}

type PreviewState = 'off' | 'opening' | 'live' | 'absent' | 'failed';

/** A getUserMedia failure that means the device with this id is not there (unplugged, or another machine's id). */
const isAbsent = (cause: unknown): boolean => ['OverconstrainedError', 'NotFoundError'].includes((cause as { name?: string } | null)?.name ?? '');

/**
 * The document camera choice: « Aucune » (the call camera takes the still) or one of the cameras, saved at once through
 * `settings.setDevices`, with a live preview of the chosen one. A chosen camera that is gone keeps the setting (it serves
 * again when plugged back) and the screen says the still falls back to the call camera, which is what the call does.
 */
export function DocumentCameraPanel() {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [saved, setSaved] = useState<string | null | undefined>(undefined);
  // null until the browser has answered, so nothing is said absent before the list is known.
  const [inputs, setInputs] = useState<VideoInput[] | null>(null);
  const [preview, setPreview] = useState<{ id: string; state: PreviewState; stream: MediaStream | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [namesFailed, setNamesFailed] = useState(false);

  const refresh = useCallback(() => {
    listVideoInputs()
      .then(setInputs)
      .catch(() => setInputs([]));
  }, []);

  useEffect(() => {
    unwrap(getBridge().settings.devices({}))
      .then((s) => setSaved(s.documentCameraId))
      .catch((cause: unknown) => {
        setSaved(null);
        setError(toUiError(cause));
      });
    refresh();
    const media = globalThis.navigator?.mediaDevices;
    media?.addEventListener?.('devicechange', refresh);
    return () => media?.removeEventListener?.('devicechange', refresh);
  }, [refresh]);

  // The live preview of the chosen camera; opening it also grants access, after which the names can be listed.
  useEffect(() => {
    if (!saved) return;
    let cancelled = false;
    let opened: MediaStream | null = null;
    Promise.resolve()
      .then(() => {
        const media = globalThis.navigator?.mediaDevices;
        if (!media?.getUserMedia) throw new Error('no media API');
        return media.getUserMedia({ video: { deviceId: { exact: saved } } });
      })
      .then((s) => {
        opened = s;
        if (cancelled) return stopTracks(s);
        setPreview({ id: saved, state: 'live', stream: s });
        refresh();
      })
      .catch((cause: unknown) => {
        if (!cancelled) setPreview({ id: saved, state: isAbsent(cause) ? 'absent' : 'failed', stream: null });
      });
    return () => {
      cancelled = true;
      stopTracks(opened);
    };
  }, [saved, inputs?.length, refresh]);

  const previewState: PreviewState = !saved ? 'off' : preview?.id === saved ? preview.state : 'opening';
  const namesHidden = (inputs ?? []).some((d) => d.deviceId === '' || d.label === '');
  const known = (inputs ?? []).filter((d) => d.deviceId !== '');
  const savedListed = saved ? known.some((d) => d.deviceId === saved) : false;
  // Gone when the browser lists the cameras with their ids and the saved one is not among them, or would not open.
  const absent = Boolean(saved) && ((inputs !== null && !namesHidden && !savedListed) || previewState === 'absent');
  // A camera just unplugged shows no preview, even before its stream has ended.
  const stream = previewState === 'live' && !absent ? (preview?.stream ?? null) : null;
  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);
  const nameOf = (id: string | null): string => {
    if (id === null) return t('health.documentCamera.none');
    const index = known.findIndex((d) => d.deviceId === id);
    return index < 0 ? t('health.documentCamera.absentChoice') : known[index]!.label || t('health.documentCamera.unnamed', { n: index + 1 });
  };

  const choose = (id: string | null) => {
    setError(null);
    setNotice(null);
    unwrap(getBridge().settings.setDevices({ documentCameraId: id }))
      .then((s) => {
        setSaved(s.documentCameraId);
        setNotice(t('health.documentCamera.saved', { name: nameOf(s.documentCameraId) }));
      })
      .catch((cause: unknown) => setError(toUiError(cause)));
  };

  const showNames = () => {
    const media = globalThis.navigator?.mediaDevices;
    if (!media?.getUserMedia) return;
    setNamesFailed(false);
    media
      .getUserMedia({ video: true })
      .then((s) => {
        stopTracks(s);
        refresh();
      })
      .catch(() => setNamesFailed(true));
  };

  return (
    <section aria-labelledby="document-camera-title" data-testid="document-camera" data-saved={saved ?? ''} data-absent={absent ? 'true' : 'false'}>
      <h2 id="document-camera-title">
        <PrintIcon name="camera" size={22} /> {t('health.documentCamera.title')}
      </h2>
      {saved !== undefined && (
        <fieldset className="camera-choices">
          <legend>{t('health.documentCamera.legend')}</legend>
          <label className="camera-choice">
            <input type="radio" name="document-camera" value="" checked={saved === null} onChange={() => choose(null)} />
            {t('health.documentCamera.none')}
          </label>
          {known.map((d, i) => (
            <label key={d.deviceId} className="camera-choice">
              <input type="radio" name="document-camera" value={d.deviceId} checked={saved === d.deviceId} onChange={() => choose(d.deviceId)} />
              {d.label || t('health.documentCamera.unnamed', { n: i + 1 })}
            </label>
          ))}
          {saved && inputs !== null && !savedListed && (
            <label className="camera-choice">
              <input type="radio" name="document-camera" value={saved} checked readOnly />
              {absent ? t('health.documentCamera.absentChoice') : t('health.documentCamera.chosen')}
            </label>
          )}
        </fieldset>
      )}
      {inputs?.length === 0 && <p>{t('health.documentCamera.noCamera')}</p>}
      {namesHidden && (
        <p>
          {t('health.documentCamera.namesHidden')}{' '}
          <button type="button" className="button" onClick={showNames}>
            {t('health.documentCamera.showNames')}
          </button>
        </p>
      )}
      {namesFailed && (
        <p role="alert" className="error">
          {t('health.mediaError')}
        </p>
      )}
      <p role="status" aria-live="polite" data-testid="document-camera-notice">
        {notice}
      </p>
      <ErrorText error={error} />
      {absent ? (
        <p role="alert" className="error" data-testid="document-camera-absent">
          {t('health.documentCamera.absent')}
        </p>
      ) : previewState === 'failed' ? (
        <p role="alert" className="error">
          {t('health.documentCamera.previewError')}
        </p>
      ) : saved === null ? (
        <p>{t('health.documentCamera.usingCall')}</p>
      ) : null}
      {stream && (
        <video ref={video} className="media-preview" autoPlay muted playsInline aria-label={t('health.documentCamera.preview')} data-testid="document-camera-preview" />
      )}
    </section>
  );
}

function stopTracks(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** The files of the forms folder that visitors are not offered, each with its reason in French. */
function RefusedFormsPanel() {
  const { t } = useTranslation();
  const [refused, setRefused] = useState<RefusedForm[] | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    unwrap(getBridge().forms.refused({}))
      .then(setRefused)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, []);
  return (
    <section aria-labelledby="refused-forms-title" data-testid="refused-forms">
      <h2 id="refused-forms-title">{t('forms.refused.title')}</h2>
      <ErrorText error={error} />
      {refused && refused.length === 0 && <p>{t('forms.refused.none')}</p>}
      {refused && refused.length > 0 && (
        <>
          <p>{t('forms.refused.intro')}</p>
          <ul className="refused-forms">
            {refused.map((r) => (
              <li key={r.file} data-reason={r.reason}>
                <strong>{r.file}</strong> : {t(`forms.refused.reason.${r.reason}`)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function DevicesTab() {
  return (
    <div className="devices-tab">
      <PrinterPanel />
      <RefusedFormsPanel />
      <HealthPanel />
      <DocumentCameraPanel />
    </div>
  );
}
