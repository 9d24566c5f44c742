// Line icons of the printing screens, decorative (the text beside them carries the meaning).
const PATHS = {
  print: 'M7 9V3h10v6M7 17H4v-7h16v7h-3M7 14h10v7H7z',
  form: 'M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7',
  document: 'M6 3h12v18H6zM9 8h6M9 12h6M9 16h4',
  camera: 'M3 7h12v10H3zM15 10l6-3v10l-6-3',
  mic: 'M12 3a3 3 0 0 1 3 3v5a3 3 0 0 1-6 0V6a3 3 0 0 1 3-3zM6 11a6 6 0 0 0 12 0M12 17v4',
  disk: 'M4 6h16v12H4zM8 14h.01M12 14h4',
  network: 'M12 20a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM8 14a6 6 0 0 1 8 0M5 11a10 10 0 0 1 14 0',
  minus: 'M5 12h14',
  plus: 'M12 5v14M5 12h14',
  warning: 'M12 3l9 17H3zM12 10v4M12 17h.01',
  eye: 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  back: 'M15 5l-7 7 7 7',
} as const;

export type PrintIconName = keyof typeof PATHS;

export function PrintIcon({ name, size = 28 }: { name: PrintIconName; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
