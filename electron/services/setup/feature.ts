// The first-start assistant on the kiosk's side: one step after the other (hub and code, or demonstration; site; first
// mediator; printer; camera and microphone), each verb accepted only at its step and the step kept in the database,
// so a restart resumes where the booth was and a booth set up refuses them all. Enrolment posts the one-time code to
// the hub's `/api/enrol`, stores the credential (credentialStore.ts) and points the hub link at the new hub.
import { z } from 'zod';
import type { SetupState, SetupStep } from '../../../shared/contract/index.js';
import { SETUP_STEPS, SetupStep as SetupStepSchema, type setupVerbs } from '../../../shared/contract/setup.js';
import { ENROL_PATH, EnrolGranted, hubAddressOf } from '../../../shared/enrolment.js';
import { ExpectedError, type ErrorCode } from '../../../shared/errors.js';
import type { KioskCore, KioskFeature } from '../core.js';
import type { Handlers } from '../dispatch.js';
import { readSetting, writeSetting } from '../foundation/kv.js';
import type { CredentialStore } from './credentialStore.js';
import type { HubLink } from './hubLink.js';

export type SetupVerb = keyof typeof setupVerbs;

export interface SetupFeatureOptions {
  /**
   * Whether this booth goes through the assistant: false when its hub is configured outside it (RELAIS_HUB_URL and
   * RELAIS_HUB_TOKEN) or it runs the plain demonstration (RELAIS_DEMO=1); then every step verb answers SETUP_STEP.
   */
  assistant: boolean;
  /** Set when `assistant`: where the credential goes, and the link the other features read the hub from. */
  credentials?: CredentialStore;
  hubLink?: HubLink;
  /** The HTTP client (tests pass one); global fetch otherwise. */
  fetch?: typeof fetch;
  /** How long the hub may take to answer the code (10 s). */
  enrolTimeoutMs?: number;
}

const SETTING_KEY = 'setup';
const Record_ = z.object({
  step: SetupStepSchema,
  mode: z.enum(['hub', 'demo', 'configured']).nullable(),
  hubAddress: z.string().nullable(),
  credential: z.enum(['encrypted', 'file']).nullable(),
  /** Where to go back to once enrolled again: set when an enrolled booth lost its credential past the hub step. */
  resumeAt: SetupStepSchema.optional(),
});
type SetupRecord = z.infer<typeof Record_>;

const REFUSALS: Readonly<Record<string, ErrorCode>> = {
  ENROL_CODE_UNKNOWN: 'ENROL_CODE_UNKNOWN',
  ENROL_CODE_EXPIRED: 'ENROL_CODE_EXPIRED',
  ENROL_CODE_USED: 'ENROL_CODE_USED',
  ENROL_TOO_MANY_ATTEMPTS: 'ENROL_TOO_MANY_ATTEMPTS',
  // The hub could not read the code as one (too long, odd symbols): for the person typing it, a wrong code.
  INVALID_INPUT: 'ENROL_CODE_UNKNOWN',
};

const TEXTS: Partial<Record<ErrorCode, string>> = {
  ENROL_CODE_UNKNOWN: 'Ce code n’est pas reconnu par le hub.',
  ENROL_CODE_EXPIRED: 'Ce code a expiré.',
  ENROL_CODE_USED: 'Ce code a déjà servi.',
  ENROL_TOO_MANY_ATTEMPTS: 'Trop de codes erronés : réessayez plus tard.',
};

const nextStep = (step: SetupStep): SetupStep => SETUP_STEPS[Math.min(SETUP_STEPS.indexOf(step) + 1, SETUP_STEPS.length - 1)] ?? 'done';

export function createSetupFeature(core: KioskCore, options: SetupFeatureOptions): KioskFeature<SetupVerb> {
  const log = core.logger.child({ scope: 'setup' });
  const fetchImpl = options.fetch ?? fetch;
  const initial = (): SetupState => {
    if (!options.assistant) return { step: 'done', mode: 'configured', hubAddress: null, credential: null };
    // A credential with no step recorded (the database was replaced): the booth is enrolled, the rest is still to do.
    const stored = options.credentials?.read() ?? null;
    return stored ? { step: 'site', mode: 'hub', hubAddress: stored.url, credential: stored.protection } : { step: 'hub', mode: null, hubAddress: null, credential: null };
  };
  let state: SetupRecord = options.assistant ? readSetting(core.db, SETTING_KEY, Record_, initial()) : initial();
  const save = (next: SetupRecord): SetupRecord => {
    state = next;
    writeSetting(core.db, SETTING_KEY, next);
    log.info({ code: 'SETUP_STEP', step: next.step, mode: next.mode }, 'first-start step');
    return next;
  };
  // Enrolled, but the credential is gone (deleted to enrol the booth again, or a keychain that no longer opens it): the
  // hub step again, then back where the booth was, so its site and mediators are not set up a second time.
  if (options.assistant && state.mode === 'hub' && state.step !== 'hub' && !options.credentials?.read()) {
    log.warn({ code: 'SETUP_CREDENTIAL_MISSING', step: state.step }, 'enrolled booth without its credential: enrolment asked again');
    save({ step: 'hub', mode: null, hubAddress: null, credential: null, resumeAt: state.step });
  } else if (options.assistant && state.step === 'hub' && state.resumeAt) {
    // The keychain opens the credential again (it was locked at the last start): back where the booth was.
    const stored = options.credentials?.read();
    if (stored) save({ step: state.resumeAt, mode: 'hub', hubAddress: stored.url, credential: stored.protection });
  }
  const at = (step: SetupStep): void => {
    if (!options.assistant || state.step !== step) throw new ExpectedError('SETUP_STEP', 'Cette étape de la mise en service est déjà faite ou pas encore ouverte.', { step: state.step });
  };

  async function postCode(httpBase: string, code: string): Promise<z.infer<typeof EnrolGranted>> {
    let response: Response;
    try {
      response = await fetchImpl(`${httpBase}${ENROL_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
        redirect: 'error',
        signal: AbortSignal.timeout(options.enrolTimeoutMs ?? 10_000),
      });
    } catch (cause) {
      log.warn({ code: 'HUB_UNREACHABLE', hub: httpBase, reason: (cause as Error).name }, 'the hub did not answer the enrolment');
      throw new ExpectedError('HUB_UNREACHABLE', 'Le hub ne répond pas à cette adresse.');
    }
    const body = (await response.text().catch(() => '')).slice(0, 4_000);
    let json: unknown = null;
    try {
      json = JSON.parse(body);
    } catch {
      json = null;
    }
    if (response.ok) {
      const granted = EnrolGranted.safeParse(json);
      if (granted.success) return granted.data;
    }
    const refusal = typeof json === 'object' && json !== null && 'error' in json ? REFUSALS[String(json.error)] : undefined;
    if (refusal) {
      log.warn({ code: refusal, status: response.status }, 'enrolment code refused by the hub');
      throw new ExpectedError(refusal, TEXTS[refusal] ?? 'Code refusé.');
    }
    log.warn({ code: 'HUB_UNREACHABLE', hub: httpBase, status: response.status }, 'the address did not answer as a hub');
    throw new ExpectedError('HUB_UNREACHABLE', 'Cette adresse ne répond pas comme un hub Relais.');
  }

  const handlers = {
    'setup.state': () => state,
    'setup.enrol': async ({ hubAddress, code }) => {
      at('hub');
      const address = hubAddressOf(hubAddress);
      if (!address) throw new ExpectedError('HUB_ADDRESS_INVALID', 'Adresse du hub illisible.');
      if (!options.credentials || !options.hubLink) throw new Error('the assistant runs without its credential store and hub link');
      const granted = await postCode(address.httpBase, code);
      const credential = options.credentials.write({ url: address.wsUrl, token: granted.token });
      options.hubLink.set({ url: address.wsUrl, token: granted.token, demo: false, consoleUrl: null });
      log.info({ code: 'BOOTH_ENROLLED', hub: address.httpBase, booth: granted.boothId, protection: credential }, 'booth enrolled on its hub');
      return save({ step: state.resumeAt ?? 'site', mode: 'hub', hubAddress: address.httpBase, credential });
    },
    'setup.demo': () => {
      at('hub');
      return save({ step: 'done', mode: 'demo', hubAddress: null, credential: null });
    },
    'setup.site': ({ name, commune }) => {
      at('site');
      core.settings.updateSite(name, commune);
      return save({ ...state, step: nextStep('site') });
    },
    'setup.firstMediator': async ({ name, pin }) => {
      at('mediator');
      const mediator = await core.settings.addMediator(name, pin);
      // The demonstration's mediators (PIN shown on screen) must not open a real booth.
      for (const other of core.settings.mediators()) if (other.active && other.id !== mediator.id) core.settings.deactivateMediator(other.id);
      await core.auth.unlock(pin);
      return save({ ...state, step: nextStep('mediator') });
    },
    'setup.next': ({ from }) => {
      at(from);
      return save({ ...state, step: nextStep(from) });
    },
  } satisfies Handlers<SetupVerb>;
  return { handlers };
}
