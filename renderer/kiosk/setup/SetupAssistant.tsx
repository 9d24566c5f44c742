// The first-start assistant: a new booth's five steps in order (hub and code or demonstration, site, first mediator,
// printer with a test page, camera and microphone with a live test), one screen each, resumed where it stood after a
// restart. The printer and devices steps reuse the mediator's panels (printing/PrinterPanel, printing/MediaTest).
// After enrolment and at the end the page reloads: the hub's address joins the page's CSP, and the kiosk starts anew.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SetupState } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { ErrorText } from '../ErrorText.js';
import { MediaTest } from '../printing/MediaTest.js';
import { PrinterPanel } from '../printing/PrinterPanel.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import './setup.css';

const STEPS = ['hub', 'site', 'mediator', 'printer', 'devices'] as const;
type Step = (typeof STEPS)[number];

export function SetupAssistant({ state, onState }: { state: SetupState; onState(next: SetupState): void }) {
  const { t } = useTranslation();
  const step = state.step as Step;
  const n = STEPS.indexOf(step) + 1;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [step]);
  return (
    <main className="screen setup" data-testid="setup" data-step={step}>
      <h1>{t('setup.title')}</h1>
      <ol className="setup__progress" aria-label={t('setup.progress')}>
        {STEPS.map((s, i) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} className={i < n - 1 ? 'setup__done' : undefined}>
            {t(`setup.steps.${s}`)}
          </li>
        ))}
      </ol>
      <h2 ref={heading} tabIndex={-1}>
        {t('setup.stepOf', { n, total: STEPS.length })} — {t(`setup.steps.${step}`)}
      </h2>
      {state.mode === 'hub' && state.hubAddress && step !== 'hub' && <p className="notice">{t('setup.enrolled', { hub: state.hubAddress })}</p>}
      {step === 'hub' && <HubStep onState={onState} />}
      {step === 'site' && <SiteStep onState={onState} />}
      {step === 'mediator' && <MediatorStep onState={onState} />}
      {step === 'printer' && (
        <NextStep from="printer" onState={onState} intro={t('setup.printer.intro')}>
          <PrinterPanel />
        </NextStep>
      )}
      {step === 'devices' && (
        <NextStep from="devices" onState={onState} intro={t('setup.devices.intro')}>
          <MediaTest />
        </NextStep>
      )}
    </main>
  );
}

/** Runs one step's verb: busy while it runs, its refusal shown in French, the new state given on. */
function useStep(onState: (s: SetupState) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const run = (call: Promise<SetupState>) => {
    setBusy(true);
    setError(null);
    call
      .then(onState)
      .catch((cause: unknown) => setError(toUiError(cause)))
      .finally(() => setBusy(false));
  };
  return { busy, error, setError, run };
}

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="setup__field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="setup__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

function HubStep({ onState }: { onState(s: SetupState): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const { busy, error, run } = useStep(onState);
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(unwrap(bridge.setup.enrol({ hubAddress: address, code })));
  };
  return (
    <>
      <form className="settings-block" onSubmit={submit} aria-busy={busy}>
        <p>{t('setup.hub.intro')}</p>
        <Field id="setup-hub" label={t('setup.hub.address')} hint={t('setup.hub.addressHint')}>
          <input id="setup-hub" type="url" inputMode="url" autoComplete="off" spellCheck={false} maxLength={300} required aria-describedby="setup-hub-hint" value={address} onChange={(e) => setAddress(e.target.value)} />
        </Field>
        <Field id="setup-code" label={t('setup.hub.code')} hint={t('setup.hub.codeHint')}>
          <input id="setup-code" autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={20} required aria-describedby="setup-code-hint" value={code} onChange={(e) => setCode(e.target.value.toUpperCase())} />
        </Field>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('setup.hub.enrolling') : t('setup.hub.enrol')}
        </button>
        <ErrorText error={error} />
      </form>
      <section className="settings-block" aria-labelledby="setup-demo-title">
        <h3 id="setup-demo-title">{t('setup.hub.or')}</h3>
        <p>{t('setup.hub.demoHint')}</p>
        <button type="button" className="button" disabled={busy} onClick={() => run(unwrap(bridge.setup.demo({})))}>
          {t('setup.hub.demo')}
        </button>
      </section>
    </>
  );
}

function SiteStep({ onState }: { onState(s: SetupState): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const { busy, error, run } = useStep(onState);
  const [name, setName] = useState('');
  const [commune, setCommune] = useState('');
  return (
    <form
      className="settings-block"
      aria-busy={busy}
      onSubmit={(e) => {
        e.preventDefault();
        run(unwrap(bridge.setup.site({ name, commune })));
      }}
    >
      <p>{t('setup.site.intro')}</p>
      <Field id="setup-site" label={t('setup.site.name')}>
        <input id="setup-site" maxLength={80} required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field id="setup-commune" label={t('setup.site.commune')}>
        <input id="setup-commune" maxLength={80} value={commune} onChange={(e) => setCommune(e.target.value)} />
      </Field>
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('setup.next')}
      </button>
      <ErrorText error={error} />
    </form>
  );
}

function MediatorStep({ onState }: { onState(s: SetupState): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const { busy, error, run } = useStep(onState);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<'pinFormat' | 'pinMismatch' | null>(null);
  return (
    <form
      className="settings-block"
      aria-busy={busy}
      onSubmit={(e) => {
        e.preventDefault();
        const check = !/^\d{4,8}$/.test(pin) ? 'pinFormat' : pin !== again ? 'pinMismatch' : null;
        setProblem(check);
        if (!check) run(unwrap(bridge.setup.firstMediator({ name, pin })));
      }}
    >
      <p>{t('setup.mediator.intro')}</p>
      <Field id="setup-mediator" label={t('setup.mediator.name')}>
        <input id="setup-mediator" maxLength={60} required autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field id="setup-pin" label={t('setup.mediator.pin')}>
        <input id="setup-pin" type="password" inputMode="numeric" autoComplete="new-password" maxLength={8} required value={pin} onChange={(e) => setPin(e.target.value)} />
      </Field>
      <Field id="setup-pin-again" label={t('setup.mediator.pinAgain')}>
        <input id="setup-pin-again" type="password" inputMode="numeric" autoComplete="new-password" maxLength={8} required value={again} onChange={(e) => setAgain(e.target.value)} />
      </Field>
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('setup.next')}
      </button>
      {problem && (
        <p role="alert" className="error">
          {t(`setup.mediator.${problem}`)}
        </p>
      )}
      {error?.code === 'DUPLICATE' && error.details?.field === 'pin' ? (
        <p role="alert" className="error">
          {t('setup.mediator.pinTaken')}
        </p>
      ) : (
        <ErrorText error={error} />
      )}
    </form>
  );
}

function NextStep({ from, intro, children, onState }: { from: 'printer' | 'devices'; intro: string; children: ReactNode; onState(s: SetupState): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const { busy, error, run } = useStep(onState);
  return (
    <div className="settings-block">
      <p>{intro}</p>
      {children}
      <div className="actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={() => run(unwrap(bridge.setup.next({ from })))}>
          {from === 'devices' ? t('setup.finish') : t('setup.next')}
        </button>
      </div>
      <ErrorText error={error} />
    </div>
  );
}
