// Guided online services (téléservices) and the visitor screens' idle time: verbs and the `teleservice.update` event.
// Full page URLs never cross the bridge (they may carry personal data): only step indexes, origins and opaque ids.
import { z } from 'zod';
import { EpochMs, OrganisationCode } from '../domain.js';
import { Guide } from '../guideSteps.js';
import { Done, Empty, verb } from './verb.js';

export const SessionId = z.string().min(1).max(64);
export const SessionEndReason = z.enum(['finished', 'idle']);
export type SessionEndReason = z.infer<typeof SessionEndReason>;

/** Where the website is drawn in the kiosk window (CSS pixels); the Electron shell places its view there. */
export const ViewBounds = z
  .object({
    x: z.number().int().min(0).max(20_000),
    y: z.number().int().min(0).max(20_000),
    width: z.number().int().min(0).max(20_000),
    height: z.number().int().min(0).max(20_000),
  })
  .strict();
export type ViewBounds = z.infer<typeof ViewBounds>;

export const StartedTeleservice = z.object({
  sessionId: SessionId,
  guide: Guide,
  startedAt: EpochMs,
  stepIndex: z.number().int().nonnegative(),
  /** Web shell: the frame's first address (a loopback proxy page). Electron: null, the shell draws the site itself. */
  entryUrl: z.string().nullable(),
});
export type StartedTeleservice = z.infer<typeof StartedTeleservice>;

/** What the visitor is told, by stable code (texts in the renderer's catalog under `teleservice.notices`). */
export const TeleserviceNotice = z.enum(['downloadRefused', 'downloadFailed', 'certificateError', 'siteUnreachable']);
export type TeleserviceNotice = z.infer<typeof TeleserviceNotice>;

export const TeleserviceUpdate = z.discriminatedUnion('type', [
  /** The guide moved (by itself after a page matched a later step). */
  z.object({ type: z.literal('step'), sessionId: SessionId, stepIndex: z.number().int().nonnegative() }),
  /** A page outside the guide was refused; only its origin is told. */
  z.object({ type: z.literal('blocked'), sessionId: SessionId, origin: z.string().nullable() }),
  /** A PDF was downloaded and may be printed with `teleservice.printDownload`. */
  z.object({ type: z.literal('download'), sessionId: SessionId, downloadId: z.string().min(1).max(64) }),
  z.object({ type: z.literal('notice'), sessionId: SessionId, code: TeleserviceNotice }),
  /** The visitor touched the website (Electron reports input in its view): the idle guard counts it as activity. */
  z.object({ type: z.literal('activity'), sessionId: SessionId }),
  /** The session is closed; `wiped` says whether everything it left was erased (else the mediator must check). */
  z.object({ type: z.literal('ended'), sessionId: SessionId, reason: SessionEndReason, wiped: z.boolean() }),
]);
export type TeleserviceUpdate = z.infer<typeof TeleserviceUpdate>;

export const IDLE_SECONDS_MIN = 5;
export const IDLE_SECONDS_MAX = 3_600;
export const IDLE_SECONDS_DEFAULT = 120;
/** How long "Êtes-vous toujours là ?" counts down before the screen goes home. */
export const IDLE_COUNTDOWN_SECONDS = 20;
export const IdleSettings = z.object({ idleSeconds: z.number().int().min(IDLE_SECONDS_MIN).max(IDLE_SECONDS_MAX) });
export type IdleSettings = z.infer<typeof IdleSettings>;

export const PrintedDownload = z.object({ jobId: z.number().int().positive() });

export const teleserviceVerbs = {
  'guides.list': verb({ input: z.object({ organisation: OrganisationCode.optional() }).strict(), output: z.array(Guide), errors: [], mediatorOnly: false }),
  'teleservice.start': verb({
    input: z.object({ guideId: z.string().min(1).max(80) }).strict(),
    output: StartedTeleservice,
    errors: ['NOT_FOUND', 'NOT_UNLOCKED', 'TELESERVICE_UNAVAILABLE'],
    mediatorOnly: false,
  }),
  'teleservice.goToStep': verb({
    input: z.object({ sessionId: SessionId, stepIndex: z.number().int().nonnegative() }).strict(),
    output: z.object({ stepIndex: z.number().int().nonnegative() }),
    errors: ['NOT_FOUND'],
    mediatorOnly: false,
  }),
  'teleservice.setBounds': verb({ input: z.object({ sessionId: SessionId, bounds: ViewBounds }).strict(), output: Done, errors: [], mediatorOnly: false }),
  'teleservice.end': verb({
    input: z.object({ sessionId: SessionId, reason: SessionEndReason }).strict(),
    output: z.object({ durationMs: z.number().int().nonnegative(), wipeUrl: z.string().nullable() }),
    errors: ['NOT_FOUND'],
    mediatorOnly: false,
  }),
  'teleservice.printDownload': verb({
    input: z.object({ sessionId: SessionId, downloadId: z.string().min(1).max(64) }).strict(),
    output: PrintedDownload,
    errors: ['NOT_FOUND', 'NO_PRINTER', 'PRINT_UNAVAILABLE'],
    mediatorOnly: false,
  }),
  'teleservice.idle': verb({ input: Empty, output: IdleSettings, errors: [], mediatorOnly: false }),
  'teleservice.setIdle': verb({ input: IdleSettings.strict(), output: IdleSettings, errors: ['NOT_UNLOCKED', 'MANAGED_BY_DEPARTMENT'], mediatorOnly: true }),
} as const;

export const teleserviceEvents = {
  'teleservice.update': TeleserviceUpdate,
} as const;
