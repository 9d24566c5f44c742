// Small helpers of the evaluation screens: downloads, Paris month and day keys (labels come from i18n/format.ts).
import { parisParts } from '../../../shared/time.js';

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

/** The Paris month of an instant, 'YYYY-MM'. */
export function monthKeyOf(epochMs: number): string {
  const p = parisParts(epochMs);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/** The Paris day of an instant, 'YYYY-MM-DD'. */
export function dayOf(epochMs: number): string {
  const p = parisParts(epochMs);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export const percent = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 100)} %`);
