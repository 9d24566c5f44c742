// The mediator's "Imprimante et appareils" tab: the printer's state in plain French and its queue (retry, cancel), the
// printer choice, a test page; the hub, the free disk, the camera and microphone (with a live test and a level meter).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthState, PrinterSummary, PrintJob } from '../../../shared/contract.js';
import { getBridge, unwrap } from '../../bridge/index.js';
import { formatTime } from '../../i18n/index.js';
import { ErrorText } from '../../ui/ErrorText.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import { usePrinterState } from './common.js';
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
  const { t } = useTranslation();
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
  const gb = (bytes: number) => (bytes / 1e9).toFixed(1);
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

export function DevicesTab() {
  return (
    <div className="devices-tab">
      <PrinterPanel />
      <HealthPanel />
    </div>
  );
}
