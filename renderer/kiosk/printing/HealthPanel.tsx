// The health panel of the devices tab: the hub, the free disk, the cameras and microphones the browser sees, a live test.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthState, RelaisApi } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { formatDecimal } from '../../i18n/format.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import { PrintIcon } from './icons.js';
import { MediaTest } from './MediaTest.js';

/** Counts the cameras and microphones the browser sees and tells main (for the health panel). */
export async function reportDevices(bridge: RelaisApi): Promise<{ cameras: number; microphones: number }> {
  const list = navigator.mediaDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  const counts = { cameras: list.filter((d) => d.kind === 'videoinput').length, microphones: list.filter((d) => d.kind === 'audioinput').length };
  await unwrap(bridge.health.reportDevices(counts));
  return counts;
}

export function HealthPanel() {
  const bridge = useBridge();
  const { t, i18n } = useTranslation();
  const [health, setHealth] = useState<HealthState | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const load = useCallback(() => {
    reportDevices(bridge)
      .catch(() => undefined)
      .then(() => unwrap(bridge.health.state({})))
      .then(setHealth)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [bridge]);
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
