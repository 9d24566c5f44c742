// Smiley faces drawn in SVG for the survey's scale, from very unhappy to very happy (decorative: the button has the label).
const MOUTHS = {
  very_unhappy: 'M8 17.5c1.2-2.2 6.8-2.2 8 0',
  unhappy: 'M8.5 16.5c1.4-1.2 5.6-1.2 7 0',
  neutral: 'M8.5 16h7',
  happy: 'M8.5 15c1.4 1.4 5.6 1.4 7 0',
  very_happy: 'M8 14.5c1.2 3 6.8 3 8 0z',
} as const;
const COLOURS = { very_unhappy: '#b3261e', unhappy: '#d9641e', neutral: '#b58100', happy: '#4f8a10', very_happy: '#1b5e20' } as const;

export type SmileyIcon = keyof typeof MOUTHS;

export function Smiley({ icon, size = 72 }: { icon: SmileyIcon; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="10.5" fill="#fff" stroke={COLOURS[icon]} strokeWidth="1.6" />
      <circle cx="8.8" cy="9.5" r="1.2" fill={COLOURS[icon]} />
      <circle cx="15.2" cy="9.5" r="1.2" fill={COLOURS[icon]} />
      <path d={MOUTHS[icon]} fill={icon === 'very_happy' ? COLOURS[icon] : 'none'} stroke={COLOURS[icon]} strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
