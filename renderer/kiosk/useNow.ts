// The kiosk's clock as main sees it (main may run a fixed demo clock), ticking once a minute.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parisParts } from '../../shared/time.js';
import { formatTime } from '../i18n/format.js';
import { useAppStore } from './stores/appStore.js';

export function useNow(): number {
  const serverNow = useAppStore((s) => s.info?.now ?? null);
  const [offset] = useState(() => (serverNow === null ? 0 : serverNow - Date.now()));
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + offset), 30_000);
    return () => clearInterval(timer);
  }, [offset]);
  return now;
}

/** "aujourd'hui à 14:00", "demain à 09:00", "lundi à 09:00". */
export function useWhen(): (at: number, now: number) => string {
  const { t, i18n } = useTranslation();
  return (at, now) => {
    const a = parisParts(at);
    const n = parisParts(now);
    const time = formatTime(at, i18n.language);
    const dayIndex = (p: { year: number; month: number; day: number }) => Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;
    const diff = dayIndex(a) - dayIndex(n);
    if (diff === 0) return t('when.today', { time });
    if (diff === 1) return t('when.tomorrow', { time });
    return t('when.weekday', { day: t(`weekdays.${a.weekday}`), time });
  };
}
