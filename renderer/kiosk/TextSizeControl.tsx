// Three text sizes for visitors who read with difficulty; a group of toggle buttons.
import { useTranslation } from 'react-i18next';
import { useAppStore, type TextScale } from './stores/appStore.js';

const SIZES: { scale: TextScale; key: 'normal' | 'large' | 'larger'; sample: string }[] = [
  { scale: 1, key: 'normal', sample: 'A' },
  { scale: 1.25, key: 'large', sample: 'A+' },
  { scale: 1.5, key: 'larger', sample: 'A++' },
];

export function TextSizeControl() {
  const { t } = useTranslation();
  const textScale = useAppStore((s) => s.textScale);
  const setTextScale = useAppStore((s) => s.setTextScale);
  return (
    <div role="group" aria-label={t('textSize.label')} className="text-size">
      {SIZES.map(({ scale, key, sample }) => (
        <button
          key={key}
          type="button"
          className="button button--small"
          aria-pressed={textScale === scale}
          aria-label={t(`textSize.${key}`)}
          onClick={() => setTextScale(scale)}
        >
          <span aria-hidden="true">{sample}</span>
        </button>
      ))}
    </div>
  );
}
