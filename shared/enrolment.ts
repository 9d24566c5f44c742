// Enrolment's shapes shared by the hub (server/enrolment/), the coordinator's dashboard and the kiosk's assistant.
import { z } from 'zod';

/** Where a new kiosk exchanges its one-time code for its credential. */
export const ENROL_PATH = '/api/enrol';

export const EnrolRequest = z.object({ code: z.string().max(64) }).strict();

/** The hub's refusals of a code, each told apart on the kiosk in French. */
export const ENROL_ERRORS = ['ENROL_CODE_UNKNOWN', 'ENROL_CODE_EXPIRED', 'ENROL_CODE_USED', 'ENROL_TOO_MANY_ATTEMPTS', 'INVALID_INPUT', 'METHOD'] as const;
export type EnrolError = (typeof ENROL_ERRORS)[number];

export const EnrolGranted = z.object({ boothId: z.number().int().positive(), name: z.string().max(200), token: z.string().min(1).max(200) }).strict();
export type EnrolAnswer = z.infer<typeof EnrolGranted> | { error: EnrolError };

/** A name as typed: 1 to `max` characters once trimmed, no control characters (a NUL cannot even be stored). */
const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u);
/** What the coordinator types to create a booth. */
export const NewEnrolment = z.object({ name: Text(80), commune: Text(80) }).strict();

export const EnrolmentCreated = z.object({
  boothId: z.number().int().positive(),
  name: z.string(),
  commune: z.string(),
  /** `ABCD-EFGH`, shown once. */
  code: z.string(),
  expiresAt: z.number(),
  /** The hub's address to type on the kiosk. */
  hubAddress: z.string(),
  /** The same address and code as a QR code (an SVG data URL). */
  qrSvgDataUrl: z.string().startsWith('data:image/svg+xml;base64,'),
});
export type EnrolmentCreated = z.infer<typeof EnrolmentCreated>;

export const PendingEnrolments = z.object({
  pending: z.array(z.object({ boothId: z.number(), name: z.string(), commune: z.string(), expiresAt: z.number() })),
});
export type PendingEnrolments = z.infer<typeof PendingEnrolments>;

/** What the kiosk's assistant accepts as the hub's address, as its HTTP base and its WebSocket URL; null: not one. */
export function hubAddressOf(typed: string): { httpBase: string; wsUrl: string } | null {
  const text = typed.trim();
  if (text === '' || text.length > 300) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!secure && url.protocol !== 'http:' && url.protocol !== 'ws:') return null;
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || url.hostname === '') return null;
  // The hub answers at its root (`/hub` is its socket): a path other than those is a typing mistake.
  if (url.pathname !== '/' && url.pathname !== '/hub') return null;
  return { httpBase: `${secure ? 'https' : 'http'}://${url.host}`, wsUrl: `${secure ? 'wss' : 'ws'}://${url.host}/hub` };
}
