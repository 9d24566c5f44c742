// One-time enrolment codes: 8 characters a person can read aloud and type (no 0/O, 1/I/L, U/V), shown as `ABCD-EFGH`.
// 29 symbols ^ 8 ≈ 5 × 10¹¹ codes; with guesses limited per address and overall, and a code good once for 24 h,
// guessing one is hopeless. The hub keeps only the SHA-256 of the normalised code.
import { createHash, randomInt } from 'node:crypto';

export const ENROLMENT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const ENROLMENT_CODE_LENGTH = 8;
/** A code is good for 24 hours from its creation. */
export const ENROLMENT_TTL_MS = 24 * 3_600_000;

/** A fresh code, normalised (8 symbols, no separator). `pick(n)` draws an integer in [0, n) (crypto by default). */
export function newEnrolmentCode(pick: (n: number) => number = (n) => randomInt(n)): string {
  let code = '';
  for (let i = 0; i < ENROLMENT_CODE_LENGTH; i++) code += ENROLMENT_ALPHABET[pick(ENROLMENT_ALPHABET.length)];
  return code;
}

/** `ABCDEFGH` → `ABCD-EFGH`, as the dashboard shows it. */
export const formatEnrolmentCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;

/**
 * What a person typed, as the code it means: case, spaces and dashes do not matter. Null when it cannot be a code
 * (wrong length, a symbol outside the alphabet): such input is refused as a wrong code.
 */
export function normaliseEnrolmentCode(typed: string): string | null {
  if (typed.length > 64) return null;
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== ENROLMENT_CODE_LENGTH) return null;
  for (const c of code) if (!ENROLMENT_ALPHABET.includes(c)) return null;
  return code;
}

export const hashEnrolmentCode = (code: string): string => createHash('sha256').update(`relais-enrolment:${code}`).digest('hex');
