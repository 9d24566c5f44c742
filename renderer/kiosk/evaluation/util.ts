// Small helpers of the evaluation screens: downloads, month labels, Paris dates, month keys.
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const localeOf = (lang: string) => (lang === 'en' ? 'en-GB' : 'fr-FR');

/** 'novembre 2026' / 'November 2026'. */
export function formatMonth(month: string, lang: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(localeOf(lang), { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(Date.UTC(y ?? 1970, (m ?? 1) - 1, 1));
}

/** A date and time in Paris. */
export function formatDateTime(epochMs: number, lang: string): string {
  return new Intl.DateTimeFormat(localeOf(lang), { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(epochMs);
}

/** The Paris month of an instant, 'YYYY-MM'. */
export function monthKeyOf(epochMs: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).formatToParts(epochMs);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}

/** The Paris day of an instant, 'YYYY-MM-DD'. */
export function dayOf(epochMs: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(epochMs);
}

export const percent = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 100)} %`);
