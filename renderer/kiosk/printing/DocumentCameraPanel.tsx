// The document camera used by « Montrer un document » (none = the call camera), chosen in the devices tab, with a live preview.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import { PrintIcon } from './icons.js';

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
 * `visio.setDevices`, with a live preview of the chosen one. A chosen camera that is gone keeps the setting (it serves
 * again when plugged back) and the screen says the still falls back to the call camera, which is what the call does.
 */
export function DocumentCameraPanel() {
  const bridge = useBridge();
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
    unwrap(bridge.visio.devices({}))
      .then((s) => setSaved(s.documentCameraId))
      .catch((cause: unknown) => {
        setSaved(null);
        setError(toUiError(cause));
      });
    refresh();
    const media = globalThis.navigator?.mediaDevices;
    media?.addEventListener?.('devicechange', refresh);
    return () => media?.removeEventListener?.('devicechange', refresh);
  }, [bridge, refresh]);

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
    unwrap(bridge.visio.setDevices({ documentCameraId: id }))
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
