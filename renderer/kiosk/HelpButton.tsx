// "Appeler le médiateur", on every visitor screen, in the bottom bar's own slot (it covers nothing); once pressed it shows
// there that a mediator is coming. Beside it, what keeps a screen's promise « le médiateur va vous aider »: the request
// sent by itself, with its reason, and said so.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseHelpScreen, type HelpPlace, type OrganisationWithState } from '../../shared/contract/index.js';
import { useAppStore, type Screen } from './stores/appStore.js';
import { Icon } from '../ui/Icon.js';
import { BarSlot } from '../ui/KioskBar.js';

export function HelpButton({ screen }: { screen: string }) {
  const { t } = useTranslation();
  const help = useAppStore((s) => s.help);
  const requestHelp = useAppStore((s) => s.requestHelp);
  const [failed, setFailed] = useState(false);

  if (help.pending) {
    return (
      <BarSlot side="end">
        <div className="help help--coming" role="status" aria-live="polite">
          <Icon name="person" />
          <div>
            <strong>{t('help.coming')}</strong>
            <p>{t('help.comingHint')}</p>
          </div>
        </div>
      </BarSlot>
    );
  }
  return (
    <BarSlot side="end">
      <div className="help">
        <button
          type="button"
          className="button button--help"
          aria-describedby="help-hint"
          onClick={() => {
            setFailed(false);
            requestHelp(screen).catch(() => setFailed(true));
          }}
        >
          <Icon name="hand" />
          {t('help.call')}
        </button>
        <p id="help-hint" className="visually-hidden">
          {t('help.callHint')}
        </p>
        {failed && (
          <p role="alert" className="error">
            {t('errors.NETWORK')}
          </p>
        )}
      </div>
    </BarSlot>
  );
}

/** The organisation a visitor screen is about, if any. */
export function organisationOfScreen(screen: Screen): string | null {
  if (screen.name === 'organisation' || screen.name === 'visio') return screen.code;
  if (screen.name === 'documents' || screen.name === 'forms' || screen.name === 'survey') return screen.organisation;
  return null;
}

const isVisitorScreen = (screen: Screen): boolean => screen.name !== 'mediator' && screen.name !== 'unlock';

/**
 * Shown under a sentence that says something cannot be done (printing, the visio): asks for the mediator by itself,
 * once, with the reason (`print:CAF` reads « Impression impossible — Caisse d'allocations familiales » on the
 * mediator's screen), then tells the visitor it was sent — or, if it could not be, what to press instead. Nothing on
 * the mediator's own screens.
 */
export function MediatorAlerted({ place }: { place: HelpPlace }) {
  const { t } = useTranslation();
  const screen = useAppStore((s) => s.screen);
  const pending = useAppStore((s) => s.help.pending);
  const requestHelp = useAppStore((s) => s.requestHelp);
  const [state, setState] = useState<'sending' | 'sent' | 'failed'>('sending');
  const visitor = isVisitorScreen(screen);
  const organisation = organisationOfScreen(screen);
  const request = organisation ? `${place}:${organisation}` : place;

  useEffect(() => {
    if (!visitor) return;
    let live = true;
    requestHelp(request).then(
      () => live && setState('sent'),
      () => live && setState('failed'),
    );
    return () => {
      live = false;
    };
  }, [visitor, request, requestHelp]);

  if (!visitor) return null;
  if (state === 'failed') return <p className="lead" data-testid="mediator-alerted" data-state="failed">{t('help.alertFailed')}</p>;
  if (state === 'sent' || pending) {
    return (
      <p className="lead" role="status" data-testid="mediator-alerted" data-state="sent">
        {t('help.alerted')}
      </p>
    );
  }
  return null;
}

/** « depuis l'accueil », « pendant une démarche en ligne — Assurance retraite », « Impression impossible — CAF »… */
export function helpReason(screen: string | null, organisations: readonly OrganisationWithState[], t: (key: string) => string): string | null {
  const parsed = screen === null ? null : parseHelpScreen(screen);
  if (!parsed) return null;
  const reason = t(`help.reasons.${parsed.place}`);
  if (!parsed.organisation) return reason;
  const name = organisations.find((o) => o.code === parsed.organisation)?.name ?? parsed.organisation;
  return `${reason} — ${name}`;
}
